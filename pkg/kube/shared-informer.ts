import type { Logger } from 'pino';
import type { KubeApi } from './api-client.ts';
import { collectionPath, type ResourceRef } from './client.ts';
import { describeError } from './api-errors.ts';
import { objectKey } from './object-key.ts';
import { Reflector } from './reflector.ts';
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
  /** The connection pools lists and watches go through (shared with the process's other requests). */
  api: KubeApi;
  resource: ResourceRef;
  /** Only this namespace (namespaced resources); all namespaces when omitted. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Every this many ms all cached objects are delivered again as updates (0 = never). */
  resyncPeriodMs?: number;
  /** timeoutSeconds of each watch request (default: 5–10 min at random, as client-go). */
  watchTimeoutSeconds?: number;
  log: Logger;
}

/**
 * One list+watch of a resource shared by every controller that registers handlers, with a local
 * cache keyed `namespace/name`, fed by a Reflector (list, then watch; see reflector.ts). On top it
 * gives what client-go's SharedIndexInformer does: old and new object on update, deletes of objects
 * a relist no longer finds, hasSynced, periodic resync and secondary indexes.
 */
export class SharedInformer<T extends ApiObject> {
  private readonly opts: SharedInformerOptions;
  private readonly reflector: Reflector<T>;
  private readonly cache = new Map<string, T>();
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly log: Logger;
  private synced = false;
  private running = false;
  private resyncTimer?: NodeJS.Timeout;
  private readonly syncWaiters: Array<() => void> = [];
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys of the cached objects with that value. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(opts: SharedInformerOptions) {
    this.opts = opts;
    this.log = opts.log;
    this.reflector = new Reflector<T>({
      api: opts.api,
      path: collectionPath(opts.resource, opts.namespace),
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      watchTimeoutSeconds: opts.watchTimeoutSeconds,
      log: opts.log,
      store: {
        replace: (items) => this.replace(items),
        upsert: (obj) => this.upsert(obj),
        remove: (obj) => this.remove(obj),
      },
    });
  }

  /** Handlers registered after start get an add for every object already cached, as in client-go. */
  addEventHandler(handlers: EventHandlers<T>): void {
    this.handlers.push(handlers);
    if (this.synced) for (const obj of this.cache.values()) this.call('add', () => handlers.onAdd?.(obj));
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // Resolves after the first list (stored, or failed and being retried).
    await this.reflector.start();
    const period = this.opts.resyncPeriodMs ?? 0;
    if (period > 0) {
      this.resyncTimer = setInterval(() => this.resync(), period);
      this.resyncTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.resyncTimer);
    this.reflector.stop();
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

  private markSynced(): void {
    this.synced = true;
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

  /** A (re)list: objects it no longer has are deleted, new ones added, changed ones updated. */
  private replace(items: T[]): void {
    const listed = new Set<string>();
    for (const obj of items) listed.add(objectKey(obj));
    for (const [key, last] of this.cache) {
      if (listed.has(key)) continue;
      this.store(key, undefined);
      for (const h of this.handlers) this.call('delete', () => h.onDelete?.(last));
    }
    for (const obj of items) this.upsert(obj);
    if (!this.synced && this.running) this.markSynced();
  }

  /** An object seen again at the resourceVersion already cached is no change (a relist repeats most). */
  private upsert(obj: T): void {
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (old && old.metadata?.resourceVersion !== undefined && old.metadata.resourceVersion === obj.metadata?.resourceVersion) return;
    this.store(key, obj);
    if (old) for (const h of this.handlers) this.call('update', () => h.onUpdate?.(old, obj));
    else for (const h of this.handlers) this.call('add', () => h.onAdd?.(obj));
  }

  /** Handlers get the last state the cache held; a delete of an object never cached is no event. */
  private remove(obj: T): void {
    const key = objectKey(obj);
    const last = this.cache.get(key);
    if (!last) return;
    this.store(key, undefined);
    for (const h of this.handlers) this.call('delete', () => h.onDelete?.(last));
  }

  private resync(): void {
    for (const obj of this.cache.values()) for (const h of this.handlers) this.call('resync', () => h.onUpdate?.(obj, obj));
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
