import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { collectionPath, listObjects, type ResourceRef } from './client.ts';
import { describeError } from './api-errors.ts';
import { objectKey } from './object-key.ts';
import type { ApiObject } from './wire.ts';

export interface EventHandlers<T extends ApiObject> {
  onAdd?: (obj: T) => void;
  /** On a resync `oldObj === newObj` (client-go delivers resyncs as updates too). */
  onUpdate?: (oldObj: T, newObj: T) => void;
  /** The last state the informer knew (after a relist it may be older than the real final state). */
  onDelete?: (obj: T) => void;
}

/** The values an object is indexed under (none: not indexed). */
export type IndexFunc<T> = (obj: T) => string[];

export interface SharedInformerOptions {
  kubeConfig: KubeConfig;
  resource: ResourceRef;
  /** Only this namespace (namespaced resources); all namespaces when omitted. */
  namespace?: string;
  labelSelector?: string;
  /** Every this many ms all cached objects are delivered again as updates (0 = never). */
  resyncPeriodMs?: number;
  log: Logger;
}

/** Reconnect backoff after a failed list or watch (client-go's reflector: 800 ms … 30 s). */
const RETRY_MIN_MS = 800;
const RETRY_MAX_MS = 30_000;

/**
 * One list+watch of a resource shared by every controller that registers handlers, with a local
 * cache keyed `namespace/name`. Built on client-node's ListWatch, which relists on 410 Gone; this
 * adds what client-go's SharedIndexInformer gives on top: old and new object on update, hasSynced,
 * periodic resync, and reconnecting (with backoff) after other errors, where ListWatch just stops.
 */
export class SharedInformer<T extends ApiObject> {
  private readonly opts: SharedInformerOptions;
  // client-node's ListWatch wants its own object type; ours only needs metadata (see Wire).
  private readonly listWatch: ListWatch<KubernetesObject>;
  private readonly cache = new Map<string, T>();
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly log: Logger;
  private synced = false;
  private running = false;
  private retryDelayMs = 0;
  private retryTimer?: NodeJS.Timeout;
  private resyncTimer?: NodeJS.Timeout;
  private readonly syncWaiters: Array<() => void> = [];
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys of the cached objects with that value. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(opts: SharedInformerOptions) {
    this.opts = opts;
    this.log = opts.log;
    const path = collectionPath(opts.resource, opts.namespace);
    const list = () => listObjects<KubernetesObject>(opts.kubeConfig, path, { labelSelector: opts.labelSelector });
    this.listWatch = new ListWatch<KubernetesObject>(path, new Watch(opts.kubeConfig), list, false, opts.labelSelector);
    this.listWatch.on('add', (obj) => this.onAdd(obj as T));
    this.listWatch.on('update', (obj) => this.onUpdate(obj as T));
    this.listWatch.on('delete', (obj) => this.onDelete(obj as T));
    this.listWatch.on('error', (err) => this.onError(err));
  }

  /** Handlers registered after start get an add for every object already cached, as in client-go. */
  addEventHandler(handlers: EventHandlers<T>): void {
    this.handlers.push(handlers);
    if (this.synced) for (const obj of this.cache.values()) this.call('add', () => handlers.onAdd?.(obj));
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
    const period = this.opts.resyncPeriodMs ?? 0;
    if (period > 0) {
      this.resyncTimer = setInterval(() => this.resync(), period);
      this.resyncTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retryTimer);
    clearInterval(this.resyncTimer);
    await this.listWatch.stop();
    for (const resolve of this.syncWaiters.splice(0)) resolve();
  }

  /** True once the first list has filled the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once synced, or when the informer is stopped first (then check hasSynced). */
  waitForSync(): Promise<void> {
    if (this.synced || !this.running) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The cached object (cluster-scoped: namespace ''). Treat it as read-only: it is shared. */
  get(namespace: string, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  getByKey(key: string): T | undefined {
    return this.cache.get(key);
  }

  /**
   * Adds a secondary index (client-go's Indexer): `fn` maps an object to the values it is found
   * under, and byIndex looks them up without scanning the cache. Add indexes before start().
   */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) return;
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indices.set(name, index);
    for (const [key, obj] of this.cache) this.addToIndex(index, fn, key, obj);
  }

  /** Cached objects filed under `value` in index `name` (read-only, shared). */
  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`informer has no index ${name}`);
    const out: T[] = [];
    for (const key of index.get(value) ?? []) {
      const obj = this.cache.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  /** Cached objects, of one namespace when given. */
  list(namespace?: string): T[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => (o.metadata?.namespace ?? '') === namespace);
  }

  private async connect(): Promise<void> {
    await this.listWatch.start();
    // ListWatch.start resolves after the list and the start of the watch, or after reporting an error.
    if (this.running && !this.synced && this.listWatch.latestResourceVersion() !== '') this.markSynced();
  }

  private markSynced(): void {
    this.synced = true;
    this.retryDelayMs = 0;
    for (const resolve of this.syncWaiters.splice(0)) resolve();
  }

  private store(key: string, obj: T | undefined): void {
    const old = this.cache.get(key);
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      if (old) this.removeFromIndex(index, fn, key, old);
      if (obj) this.addToIndex(index, fn, key, obj);
    }
    if (obj) this.cache.set(key, obj);
    else this.cache.delete(key);
  }

  private addToIndex(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const value of fn(obj)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private removeFromIndex(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const value of fn(obj)) {
      const keys = index.get(value);
      keys?.delete(key);
      if (keys?.size === 0) index.delete(value);
    }
  }

  private onAdd(obj: T): void {
    this.store(objectKey(obj), obj);
    for (const h of this.handlers) this.call('add', () => h.onAdd?.(obj));
  }

  private onUpdate(obj: T): void {
    const key = objectKey(obj);
    const old = this.cache.get(key) ?? obj;
    this.store(key, obj);
    this.retryDelayMs = 0;
    for (const h of this.handlers) this.call('update', () => h.onUpdate?.(old, obj));
  }

  private onDelete(obj: T): void {
    const key = objectKey(obj);
    const last = this.cache.get(key) ?? obj;
    this.store(key, undefined);
    for (const h of this.handlers) this.call('delete', () => h.onDelete?.(last));
  }

  private resync(): void {
    for (const obj of this.cache.values()) for (const h of this.handlers) this.call('resync', () => h.onUpdate?.(obj, obj));
  }

  /** ListWatch gives up on any error but 410; keep the cache and try again from the last resourceVersion. */
  private onError(err: unknown): void {
    if (!this.running) return;
    this.retryDelayMs = Math.min(this.retryDelayMs > 0 ? this.retryDelayMs * 2 : RETRY_MIN_MS, RETRY_MAX_MS);
    this.log.warn({ err: describeError(err), retryInMs: this.retryDelayMs }, 'list/watch failed; retrying');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.running) void this.connect();
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }

  /** A throwing handler must not break the watch or the other handlers. */
  private call(event: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err: describeError(err), event }, 'event handler threw');
    }
  }
}
