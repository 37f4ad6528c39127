import type { Logger } from 'pino';
import { ApiError } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import { WorkQueue } from '../gc/work-queue.ts';
import { metaTime } from '../registry/meta-time.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { RestStorage } from '../registry/rest-storage.ts';
import { collectionPrefix, resourcePrefix, splitObjectKey } from '../registry/storage-keys.ts';
import { StoredTypes } from '../registry/stored-types.ts';
import { systemWrite } from '../registry/write-options.ts';
import type { StorageEvent, Store, WatchHandle } from '../storage/types.ts';
import { deletionConditions, mergeConditions, type ContentTotals, type NamespaceCondition } from './deletion-conditions.ts';

/** The spec.finalizers entry this controller is responsible for. */
export const FINALIZER_KUBERNETES = 'kubernetes';
/** How long Kubernetes assumes an object held by finalizers needs (finalizerEstimateSeconds). */
const FINALIZER_ESTIMATE_SECONDS = 15;
/** Deletions per pass: a big namespace is emptied over several turns of the event loop, not in one. */
const DELETIONS_PER_PASS = 200;

export interface NamespaceControllerDeps {
  store: Store;
  registry: ResourceRegistry;
  rest: RestStorage;
  namespaces: ResourceType;
  now: () => Date;
  log: Logger;
}

/**
 * kube-controller-manager's namespace controller: a namespace with a deletionTimestamp is
 * emptied — every namespaced object of every served type, custom resources included, deleted with
 * Background propagation (pods get their normal graceful deletion) — while its status conditions
 * say what is left and why; once nothing is left, `kubernetes` is removed from spec.finalizers
 * through /finalize and the namespace goes. Progress is driven by the deletions it watches, with a
 * timer as fallback; terminating namespaces found at start (after a crash) are resumed.
 */
export class NamespaceController {
  private readonly deps: NamespaceControllerDeps;
  private readonly log: Logger;
  private readonly types: StoredTypes;
  private readonly namespacePrefix: string;
  private readonly queue: WorkQueue;
  /** Namespaces being emptied: a deletion inside one of them is a reason to look at it again. */
  private readonly terminating = new Set<string>();
  private handle: WatchHandle | undefined;

  constructor(deps: NamespaceControllerDeps) {
    this.deps = deps;
    this.log = deps.log.child({ component: 'namespace-controller' });
    this.types = new StoredTypes(deps.registry);
    this.namespacePrefix = resourcePrefix(deps.namespaces);
    this.queue = new WorkQueue({
      process: (name) => this.sync(name),
      onError: (name, err, attempt) => {
        const level = attempt >= 5 ? 'warn' : 'debug';
        this.log[level]({ namespace: name, attempt, err: err instanceof ApiError ? err.message : err }, 'namespace deletion step failed; retrying');
      },
      baseDelayMs: 100,
    });
  }

  start(): void {
    const list = this.deps.store.list(this.namespacePrefix);
    for (const entry of list.items) {
      const ns = JSON.parse(entry.value) as KubeObject;
      if (!ns.metadata.deletionTimestamp) continue;
      this.terminating.add(ns.metadata.name ?? '');
      this.queue.add(ns.metadata.name ?? '');
    }
    this.handle = this.deps.store.watch('/registry/', list.revision, (e) => this.onEvent(e));
    if (this.terminating.size > 0) this.log.info({ namespaces: [...this.terminating] }, 'resuming the deletion of terminating namespaces');
  }

  stop(): void {
    this.handle?.stop();
    this.queue.stop();
  }

  /** Runs inside the storage write that caused it: bookkeeping and queueing only. */
  private onEvent(e: StorageEvent): void {
    if (e.key.startsWith(this.namespacePrefix)) {
      const name = e.key.slice(this.namespacePrefix.length);
      if (e.type === 'DELETED') this.terminating.delete(name);
      else if (e.value.includes('"deletionTimestamp"')) this.queue.add(name);
      return;
    }
    if (e.type !== 'DELETED' || this.terminating.size === 0) return;
    const namespace = splitObjectKey(e.key)?.namespace;
    // Content leaving a terminating namespace: look again shortly (one pass for a burst of deletions).
    if (namespace && this.terminating.has(namespace)) this.queue.addAfter(namespace, 25);
  }

  private sync(name: string): void {
    const ns = this.readNamespace(name);
    if (!ns?.metadata.deletionTimestamp) {
      this.terminating.delete(name);
      return;
    }
    this.terminating.add(name);
    const uid = ns.metadata.uid ?? '';
    const finalizers = specFinalizers(ns);
    if (!finalizers.includes(FINALIZER_KUBERNETES)) {
      // Finalized by us already (or never ours); when no one else's finalizer is left, it goes.
      if (finalizers.length === 0) this.deleteNamespace(name, uid);
      return;
    }
    const pass = this.deleteContent(name);
    if (!pass) {
      // More to delete: carry on after the event loop has served whatever else is waiting.
      this.queue.addAfter(name, 0);
      return;
    }
    const { totals, estimateSeconds } = pass;
    this.updateStatus(name, uid, totals);
    const remaining = [...totals.remainingByResource.values()].reduce((a, b) => a + b, 0);
    if (remaining > 0 || totals.deleteErrors.length > 0) {
      this.log.debug({ namespace: name, remaining, estimateSeconds }, 'namespace content remains');
      this.queue.addAfter(name, Math.min(estimateSeconds / 2 + 1, 30) * 1000);
      return;
    }
    this.finalize(name, uid);
    const after = this.readNamespace(name);
    if (after && after.metadata.uid === uid && specFinalizers(after).length === 0) this.deleteNamespace(name, uid);
    this.log.info({ namespace: name }, 'namespace emptied and finalized');
  }

  /**
   * Deletes everything in the namespace; reports what is left and roughly how long it may take, or
   * undefined when this pass used up its budget before getting through all of it.
   */
  private deleteContent(namespace: string): { totals: ContentTotals; estimateSeconds: number } | undefined {
    const totals: ContentTotals = { remainingByResource: new Map(), remainingByFinalizer: new Map(), deleteErrors: [] };
    const nowMs = this.deps.now().getTime();
    let estimateSeconds = 0;
    let budget = DELETIONS_PER_PASS;
    for (const rt of this.types.namespacedTypes()) {
      if (!rt.verbs.includes('delete')) continue;
      const prefix = collectionPrefix(rt, namespace);
      if (this.deps.store.count(prefix) === 0) continue;
      const label = `${rt.resource}.${rt.group}`;
      for (const entry of this.deps.store.list(prefix).items) {
        const obj = JSON.parse(entry.value) as KubeObject;
        // Objects already being deleted are cheap to ask again (nothing to write); new ones count.
        if (!obj.metadata.deletionTimestamp && budget-- <= 0) return undefined;
        try {
          this.deps.rest.delete(rt, namespace, obj.metadata.name ?? '', { dryRun: false, propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid } });
        } catch (e) {
          if (e instanceof ApiError && (e.code === 404 || e.code === 409)) continue;
          totals.deleteErrors.push(`${label}: ${e instanceof Error ? e.message : String(e)}`);
          break;
        }
      }
      const left = this.deps.store.list(prefix).items;
      if (left.length === 0) continue;
      totals.remainingByResource.set(label, left.length);
      for (const entry of left) {
        const obj = JSON.parse(entry.value) as KubeObject;
        const finalizers = obj.metadata.finalizers ?? [];
        for (const f of finalizers) totals.remainingByFinalizer.set(f, (totals.remainingByFinalizer.get(f) ?? 0) + 1);
        if (finalizers.length > 0) estimateSeconds = Math.max(estimateSeconds, FINALIZER_ESTIMATE_SECONDS);
        // A pod waiting for its node: about as long as its grace period has left.
        if (obj.metadata.deletionTimestamp) estimateSeconds = Math.max(estimateSeconds, Math.ceil((Date.parse(obj.metadata.deletionTimestamp) - nowMs) / 1000));
      }
    }
    return { totals, estimateSeconds };
  }

  private updateStatus(name: string, uid: string, totals: ContentTotals): void {
    const ns = this.readNamespace(name);
    if (!ns || ns.metadata.uid !== uid) return;
    const status = (ns['status'] ?? {}) as { phase?: string; conditions?: NamespaceCondition[] };
    const conditions = mergeConditions(status.conditions ?? [], deletionConditions(totals), metaTime(this.deps.now()));
    if (!conditions && status.phase === 'Terminating') return;
    ns['status'] = { ...status, phase: 'Terminating', ...(conditions ? { conditions } : {}) };
    this.write(() => this.deps.rest.update(this.deps.namespaces, '', name, 'status', ns, systemWrite('kube-controller-manager', 'Ignore')));
  }

  /** PUT /api/v1/namespaces/<name>/finalize without `kubernetes`: the namespace goes if nothing else holds it. */
  private finalize(name: string, uid: string): void {
    const ns = this.readNamespace(name);
    if (!ns || ns.metadata.uid !== uid) return;
    const spec = (ns['spec'] ?? {}) as { finalizers?: string[] };
    ns['spec'] = { ...spec, finalizers: specFinalizers(ns).filter((f) => f !== FINALIZER_KUBERNETES) };
    this.write(() => this.deps.rest.update(this.deps.namespaces, '', name, 'finalize', ns, systemWrite('kube-controller-manager', 'Ignore')));
  }

  private deleteNamespace(name: string, uid: string): void {
    try {
      this.deps.rest.delete(this.deps.namespaces, '', name, { dryRun: false, preconditions: { uid } });
    } catch (e) {
      // Gone already, or replaced by a namespace of the same name (uid precondition).
      if (e instanceof ApiError && (e.code === 404 || e.code === 409)) return;
      throw e;
    }
  }

  /** A write that may find the namespace gone or replaced: that is the end of the story, not an error. */
  private write(fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return;
      throw e;
    }
  }

  private readNamespace(name: string): KubeObject | undefined {
    const entry = this.deps.store.get(`${this.namespacePrefix}${name}`);
    return entry ? (JSON.parse(entry.value) as KubeObject) : undefined;
  }
}

function specFinalizers(ns: KubeObject): string[] {
  const finalizers = (ns['spec'] as { finalizers?: unknown } | undefined)?.finalizers;
  return Array.isArray(finalizers) ? finalizers.filter((f): f is string => typeof f === 'string') : [];
}
