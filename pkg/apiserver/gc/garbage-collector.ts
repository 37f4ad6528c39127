import type { Logger } from 'pino';
import { ApiError } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import { CRD_PREFIX } from '../crd/crd-controller.ts';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type PropagationPolicy } from '../registry/delete-options.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { RestStorage } from '../registry/rest-storage.ts';
import { splitObjectKey } from '../registry/storage-keys.ts';
import { decodeStored } from '../registry/stored-shape.ts';
import { StoredTypes, type StoredObjectRef } from '../registry/stored-types.ts';
import { systemWrite } from '../registry/write-options.ts';
import type { StorageEvent, Store, WatchHandle } from '../storage/types.ts';
import { decideForDependent, dropOwnerReferences, isDeletingInForeground, ownerState, referenceTo, removeFinalizer, unblockOwnerReferences, type OwnerState } from './decisions.ts';
import { OwnerIndex, sameOwnerRefs, type IndexedOwnerRef } from './owner-index.ts';
import { ownerFieldsText } from './owner-fields-text.ts';
import { WorkQueue } from './work-queue.ts';

const EVERYTHING = '/registry/';

export interface GarbageCollectorDeps {
  store: Store;
  registry: ResourceRegistry;
  /** All writes go through the REST layer: resourceVersions, watches and finalizer rules stay right. */
  rest: RestStorage;
  log: Logger;
}

/**
 * kube-controller-manager's garbage collector, in process. It watches every stored object (all
 * resource types, custom resources included) and keeps an ownerReferences index; from it:
 *   - a dependent all of whose owners are gone is deleted (Background, or as its own finalizers say);
 *   - an owner deleted with propagationPolicy=Foreground (finalizer foregroundDeletion) has its
 *     dependents deleted, and loses the finalizer once no dependent with blockOwnerDeletion is left;
 *   - an owner deleted with Orphan (finalizer orphan) is removed from its dependents'
 *     ownerReferences, then loses the finalizer.
 * Decisions are taken on the live stored state (never on the index alone), so a restart only has
 * to rebuild the index from a list and look at every dependent and every pending deletion again.
 */
export class GarbageCollector {
  private readonly deps: GarbageCollectorDeps;
  private readonly log: Logger;
  private readonly types: StoredTypes;
  private readonly owners = new OwnerIndex();
  private readonly queue: WorkQueue;
  /** Dependents with an owner reference of a kind nothing serves (yet); revisited when CRDs change. */
  private readonly unresolved = new Set<string>();
  /**
   * Per indexed dependent, the owner fields' text (see ownerFieldsText) of the write it was last
   * indexed from: a later write with the same text changes nothing the collector looks at.
   */
  private readonly indexedOwnerFields = new Map<string, string>();
  /** The registry generation the owner references in indexedOwnerFields were resolved under. */
  private indexedGeneration = -1;
  private unresolvedTimer: NodeJS.Timeout | undefined;
  private handle: WatchHandle | undefined;

  constructor(deps: GarbageCollectorDeps) {
    this.deps = deps;
    this.log = deps.log.child({ component: 'garbage-collector' });
    this.types = new StoredTypes(deps.registry);
    this.queue = new WorkQueue({
      process: (key) => this.sync(key),
      onError: (key, err, attempt) => {
        const level = attempt >= 5 ? 'warn' : 'debug';
        this.log[level]({ key, attempt, err: err instanceof ApiError ? err.message : err }, 'garbage collection of an object failed; retrying');
      },
      maxDelayMs: 30_000,
    });
  }

  start(): void {
    const list = this.deps.store.list(EVERYTHING);
    for (const entry of list.items) {
      if (!mayConcernGc(entry.value)) continue;
      const obj = JSON.parse(entry.value) as KubeObject;
      this.index(entry.key, obj);
      // After a restart: dependents whose owners went while we were down, and deletions we had
      // not finished, are looked at again.
      if ((obj.metadata.ownerReferences ?? []).length > 0 || deletingWithGcFinalizer(obj)) this.queue.add(entry.key);
    }
    this.handle = this.deps.store.watch(EVERYTHING, list.revision, (e) => this.onEvent(e));
    this.log.info({ dependents: this.owners.size, revision: list.revision }, 'garbage collector started');
  }

  stop(): void {
    this.handle?.stop();
    this.queue.stop();
    if (this.unresolvedTimer) clearTimeout(this.unresolvedTimer);
  }

  /** Runs inside the storage write that caused it: index and queue only, never write. */
  private onEvent(e: StorageEvent): void {
    if (e.key.startsWith(CRD_PREFIX)) this.revisitUnresolvedSoon();
    if (e.type === 'DELETED') {
      // Its foreground-deleting owners may be unblocked; its dependents may be orphans now.
      for (const ref of this.owners.remove(e.key)) if (ref.ownerKey) this.queue.add(ref.ownerKey);
      for (const dependent of this.owners.dependentsOf(e.key)) this.queue.add(dependent);
      this.unresolved.delete(e.key);
      this.indexedOwnerFields.delete(e.key);
      return;
    }
    const dependent = this.owners.isDependent(e.key);
    if (!dependent && !mayConcernGc(e.value)) return;
    const ownerFields = ownerFieldsText(e.value);
    if (this.indexedGeneration !== this.deps.registry.generation) {
      // Owner kinds resolve through the served types: once they change, every dependent is indexed afresh on its next write.
      this.indexedOwnerFields.clear();
      this.indexedGeneration = this.deps.registry.generation;
    }
    // The common update of a dependent (status, labels): same owners, same finalizers, not deleting.
    if (dependent && ownerFields !== undefined && ownerFields === this.indexedOwnerFields.get(e.key) && !this.unresolved.has(e.key)) return;
    const obj = JSON.parse(e.value) as KubeObject;
    const { before, after } = this.index(e.key, obj);
    if (ownerFields !== undefined && after.length > 0) this.indexedOwnerFields.set(e.key, ownerFields);
    else this.indexedOwnerFields.delete(e.key);
    if (!sameOwnerRefs(before, after)) {
      this.queue.add(e.key);
      for (const ref of before) {
        if (ref.ownerKey && !after.some((r) => r.uid === ref.uid && r.blocking === ref.blocking)) this.queue.add(ref.ownerKey);
      }
    }
    if (deletingWithGcFinalizer(obj)) this.queue.add(e.key);
  }

  private index(key: string, obj: KubeObject): { before: IndexedOwnerRef[]; after: IndexedOwnerRef[] } {
    const namespace = splitObjectKey(key)?.namespace ?? '';
    const after = (obj.metadata.ownerReferences ?? []).map((ref): IndexedOwnerRef => {
      const rt = this.types.forKind(ref.apiVersion ?? '', ref.kind ?? '');
      return { uid: ref.uid, blocking: ref.blockOwnerDeletion === true, ownerKey: rt ? this.types.keyFor(rt, namespace, ref.name ?? '') : undefined };
    });
    if (after.some((r) => !r.ownerKey)) this.unresolved.add(key);
    else this.unresolved.delete(key);
    return { before: this.owners.set(key, after), after };
  }

  /** Owner kinds may become known when a CRD is established (the CRD controller registers it on its next tick). */
  private revisitUnresolvedSoon(): void {
    if (this.unresolved.size === 0 || this.unresolvedTimer) return;
    this.unresolvedTimer = setTimeout(() => {
      this.unresolvedTimer = undefined;
      for (const key of [...this.unresolved]) {
        const entry = this.deps.store.get(key);
        if (!entry) {
          this.unresolved.delete(key);
          continue;
        }
        this.index(key, JSON.parse(entry.value) as KubeObject);
        this.queue.add(key);
      }
    }, 100);
    this.unresolvedTimer.unref();
  }

  private sync(key: string): void {
    const ref = this.types.forKey(key);
    if (!ref) return; // the type is no longer served (its CRD went, and its objects with it)
    const obj = this.read(ref);
    if (!obj) return;
    if (obj.metadata.deletionTimestamp) {
      const finalizers = obj.metadata.finalizers ?? [];
      if (finalizers.includes(FINALIZER_ORPHAN)) this.orphanDependents(ref, obj);
      else if (finalizers.includes(FINALIZER_FOREGROUND)) this.deleteDependentsFirst(ref, obj);
      // Otherwise it is on its way out already; its owners no longer matter.
      return;
    }
    if ((obj.metadata.ownerReferences ?? []).length > 0) this.collectIfOwnerless(ref, obj);
  }

  private collectIfOwnerless(ref: StoredObjectRef, obj: KubeObject): void {
    const uid = obj.metadata.uid ?? '';
    const owners: Array<{ uid: string; state: OwnerState }> = [];
    for (const owner of obj.metadata.ownerReferences ?? []) {
      const ownerType = this.types.forKind(owner.apiVersion ?? '', owner.kind ?? '');
      if (!ownerType) {
        // Like Kubernetes: an owner of an unknown kind cannot be looked up, so nothing is decided.
        this.unresolved.add(ref.key);
        return;
      }
      if (ownerType.namespaced && !ref.rt.namespaced) {
        // A cluster-scoped object cannot be owned by a namespaced one; Kubernetes leaves it alone.
        this.log.debug({ key: ref.key, owner: `${owner.kind}/${owner.name}` }, 'cluster-scoped object names a namespaced owner; ignored');
        return;
      }
      owners.push({ uid: owner.uid, state: ownerState(owner, this.readKey(this.types.keyFor(ownerType, ref.namespace, owner.name ?? ''))) });
    }
    const dependents = this.owners.dependentsOf(ref.key, uid);
    const action = decideForDependent(owners, {
      finalizers: obj.metadata.finalizers ?? [],
      hasDependents: dependents.length > 0,
      dependentDeletingInForeground: () => dependents.some((k) => {
        const dep = this.readKey(k);
        return dep !== undefined && isDeletingInForeground(dep);
      }),
    });
    switch (action.kind) {
      case 'keep':
        return;
      case 'dropOwnerReferences':
        this.log.debug({ key: ref.key, owners: action.uids }, 'removing references to owners that are gone or deleting in the foreground');
        this.update(ref, uid, (o) => dropOwnerReferences(o, new Set(action.uids)));
        return;
      case 'delete':
        if (action.unblockFirst) this.update(ref, uid, unblockOwnerReferences);
        this.delete(ref, uid, action.policy);
    }
  }

  /** Foreground: delete the dependents; the owner goes once none of them blocks it. */
  private deleteDependentsFirst(ref: StoredObjectRef, owner: KubeObject): void {
    const uid = owner.metadata.uid ?? '';
    let blocking = 0;
    for (const key of this.owners.dependentsOf(ref.key, uid)) {
      const dependent = this.readKey(key);
      const link = dependent && referenceTo(dependent, uid);
      if (!dependent || !link) continue;
      if (link.blockOwnerDeletion) blocking++;
      if (!dependent.metadata.deletionTimestamp || isDeletingInForeground(dependent)) this.queue.add(key);
    }
    if (blocking > 0) return;
    this.log.debug({ key: ref.key }, 'no blocking dependents left; removing the foregroundDeletion finalizer');
    this.update(ref, uid, (o) => removeFinalizer(o, FINALIZER_FOREGROUND));
  }

  /** Orphan: every dependent forgets this owner, then the owner may go. */
  private orphanDependents(ref: StoredObjectRef, owner: KubeObject): void {
    const uid = owner.metadata.uid ?? '';
    const drop = new Set([uid]);
    for (const key of this.owners.dependentsOf(ref.key, uid)) {
      const dependent = this.types.forKey(key);
      if (dependent) this.update(dependent, undefined, (o) => dropOwnerReferences(o, drop));
    }
    this.log.debug({ key: ref.key }, 'dependents orphaned; removing the orphan finalizer');
    this.update(ref, uid, (o) => removeFinalizer(o, FINALIZER_ORPHAN));
  }

  private delete(ref: StoredObjectRef, uid: string, policy: PropagationPolicy): void {
    try {
      this.deps.rest.delete(ref.rt, ref.namespace, ref.name, { dryRun: false, preconditions: { uid }, propagationPolicy: policy });
      this.log.debug({ key: ref.key, policy }, 'deleted an object whose owners are gone');
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return;
      if (e instanceof ApiError && e.code === 403) {
        this.log.warn({ key: ref.key, reason: e.message }, 'not allowed to delete an object whose owners are gone');
        return;
      }
      throw e;
    }
  }

  /**
   * Read-modify-write of one object through the REST layer. `mutate` returns false when there is
   * nothing to change. The object must still be the one we looked at (same uid).
   */
  private update(ref: StoredObjectRef, uid: string | undefined, mutate: (obj: KubeObject) => boolean): void {
    const obj = this.read(ref);
    if (!obj || (uid !== undefined && obj.metadata.uid !== uid)) return;
    if (!mutate(obj)) return;
    try {
      this.deps.rest.update(ref.rt, ref.namespace, ref.name, '', obj, systemWrite('kube-controller-manager', 'Ignore'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return;
      throw e;
    }
  }

  /** The object as its (codec-free where possible) type serves it. */
  private read(ref: StoredObjectRef): KubeObject | undefined {
    const entry = this.deps.store.get(ref.key);
    return entry ? decodeStored(ref.rt, entry.value) : undefined;
  }

  /** Metadata is the same in every served shape: the stored JSON is enough. */
  private readKey(key: string): KubeObject | undefined {
    const entry = this.deps.store.get(key);
    return entry ? (JSON.parse(entry.value) as KubeObject) : undefined;
  }
}

/**
 * Cheap test on the stored text before parsing it: only objects with owner references or with the
 * collector's finalizers concern it (a false positive only costs a parse).
 */
function mayConcernGc(text: string): boolean {
  if (text.includes('"ownerReferences"')) return true;
  // Without a finalizers list anywhere, the collector's finalizer names cannot be in one.
  return text.includes('"finalizers"') && (text.includes(`"${FINALIZER_FOREGROUND}"`) || text.includes(`"${FINALIZER_ORPHAN}"`));
}

function deletingWithGcFinalizer(obj: KubeObject): boolean {
  if (!obj.metadata.deletionTimestamp) return false;
  const finalizers = obj.metadata.finalizers ?? [];
  return finalizers.includes(FINALIZER_ORPHAN) || finalizers.includes(FINALIZER_FOREGROUND);
}
