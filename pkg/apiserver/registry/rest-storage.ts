import { randomUUID } from 'node:crypto';
import { ApiError, apiErrors, type ErrorTarget } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import { apiVersionOf, type ResourceType } from '../api/resource-type.ts';
import { apply as serverSideApply, trackUpdate } from '../patch/server-side-apply.ts';
import { KeyExistsError, KeyNotFoundError, RevisionMismatchError, RevisionTooLargeError, TooOldError, type Store, type StoredEntry } from '../storage/types.ts';
import { continueTooOldMessage, decodeContinue, encodeContinue } from './continue-token.ts';
import { generateName } from './generate-name.ts';
import { metaTime } from './meta-time.ts';
import { applyDefaults, handleUnknownFields, validateCreate, validateUpdate } from './object-checks.ts';
import { compileSelection } from './selection.ts';
import { deepCopyJson as deepCopy } from '../schema/json-value.ts';
import type { Schema } from '../schema/types.ts';
import { unchangedSubtrees, type UnchangedSubtrees } from '../schema/unchanged-subtrees.ts';
import { serializeAt } from './serialize.ts';
import { collectionPrefix, objectKey } from './storage-keys.ts';
import { hasStatusSubresource, sameContent, specChanged, tracksGeneration } from './object-changes.ts';
import { applyPatchDocument, type PatchType } from './patch-document.ts';
import type { DeleteOptions } from './delete-options.ts';
import { planDeletion, type DeletionPlan } from './deletion-plan.ts';
import { decodeStored, present, presentEntries, toStorage } from './stored-shape.ts';
import { requireKindOf } from './type-meta.ts';
import type { WriteOptions } from './write-options.ts';

export type { PatchType } from './patch-document.ts';
export type { DeleteOptions } from './delete-options.ts';

/**
 * The NamespaceLifecycle admission rules (namespace/lifecycle-admission.ts): new namespaced
 * objects need an existing namespace that is not terminating; some namespaces may not be deleted.
 */
export interface NamespaceAdmission {
  admitCreate(rt: ResourceType, obj: KubeObject): void;
  admitDelete(rt: ResourceType, namespace: string, name: string): void;
}

export interface RestStorageDeps {
  store: Store;
  now: () => Date;
  /** Objects can only be created in existing, active namespaces (the NamespaceLifecycle admission rule). */
  namespaceLifecycle: NamespaceAdmission;
  /**
   * Mutating admission for new objects, run after defaulting and before validation (e.g. the
   * Service cluster IP allocator).
   */
  admitCreate?: (rt: ResourceType, obj: KubeObject) => void;
}

/** The outcome of a write: HTTP status and the JSON text to send back. */
export interface WriteResult {
  code: number;
  body: string;
}

export interface ListParams {
  labelSelector: string | null;
  fieldSelector: string | null;
  limit: number;
  continueToken: string | null;
  resourceVersion: string | null;
  resourceVersionMatch: string | null;
}

export interface ListPage {
  items: StoredEntry[];
  revision: number;
  continueToken?: string;
  remainingItemCount?: number;
}

/** A DELETE's answer; `object` is the object's last state (marked for deletion, or as it was removed). */
export interface DeleteResult extends WriteResult {
  object: string;
}

const target = (rt: ResourceType): ErrorTarget => ({ group: rt.group, resource: rt.resource, kind: rt.kind });

/**
 * Generic REST semantics of kube-apiserver's registry store for one resource type: create, get,
 * list, update, patch, delete, deletecollection on top of the revisioned Store. Everything a
 * Kubernetes client relies on lives here: uid/creationTimestamp/generation bookkeeping,
 * optimistic concurrency on resourceVersion, status-subresource separation, dry run, field
 * managers, finalizers holding deletion, and no-op writes that do not bump resourceVersion.
 */
export class RestStorage {
  private readonly store: Store;
  private readonly now: () => Date;
  private readonly namespaceLifecycle: NamespaceAdmission;
  private readonly admitCreate: ((rt: ResourceType, obj: KubeObject) => void) | undefined;
  /**
   * The schema each stored revision written here was pruned, defaulted and validated under in
   * full. An update of such a revision under the same schema skips the subtrees it leaves as they
   * were (see unchanged-subtrees.ts); any other revision (another schema since, written before a
   * restart, or by a path that checks less) gets the full walk. Weak: it goes with the entry.
   */
  private readonly checkedUnder = new WeakMap<StoredEntry, Schema>();

  constructor(deps: RestStorageDeps) {
    this.admitCreate = deps.admitCreate;
    this.store = deps.store;
    this.now = deps.now;
    this.namespaceLifecycle = deps.namespaceLifecycle;
  }

  /** The object as `rt` serves it. */
  get(rt: ResourceType, namespace: string, name: string): StoredEntry {
    const entry = this.store.get(objectKey(rt, namespace, name));
    if (!entry) throw apiErrors.notFound(target(rt), name);
    return rt.codec ? { ...entry, value: present(rt, entry.value) } : entry;
  }

  create(rt: ResourceType, namespace: string, body: unknown, opts: WriteOptions): WriteResult {
    const obj = requireKindOf(rt, body);
    this.bindNamespace(rt, obj, namespace);
    handleUnknownFields(rt, obj, opts);
    // Admission comes after decoding and before names are generated, defaults and validation.
    this.namespaceLifecycle.admitCreate(rt, obj);
    const created = this.prepareCreate(rt, obj);
    created.metadata.managedFields = trackUpdate(undefined, created, this.managerOpts(rt, opts, ''));
    return this.persistCreate(rt, created, opts);
  }

  update(rt: ResourceType, namespace: string, name: string, subresource: string, body: unknown, opts: WriteOptions): WriteResult {
    const obj = requireKindOf(rt, body);
    if (obj.metadata.name === undefined) obj.metadata.name = name;
    const key = objectKey(rt, namespace, name);
    const existing = this.store.get(key);
    if (!existing) throw apiErrors.notFound(target(rt), name);
    return this.replace(rt, namespace, name, subresource, key, existing, decodeStored(rt, existing.value), obj, opts);
  }

  patch(
    rt: ResourceType,
    namespace: string,
    name: string,
    subresource: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions & { force: boolean },
  ): WriteResult {
    const key = objectKey(rt, namespace, name);
    const existing = this.store.get(key);
    if (type === 'apply') return this.applyServerSide(rt, namespace, name, subresource, key, existing, patch, opts);
    if (!existing) throw apiErrors.notFound(target(rt), name);
    const old = decodeStored(rt, existing.value);
    // A merge patch shares what it does not reach with the document it patches. That may be `old`
    // itself only while nothing below writes into the shared part, i.e. while pruning and
    // defaulting have nothing left to do there: when `old` was checked under this very schema.
    const doc = type === 'merge' && !this.wasChecked(rt, existing) ? deepCopy(old) : old;
    const patched = requireKindOf(rt, applyPatchDocument(rt, type, doc, patch));
    // Metadata is written below (namespace, resourceVersion, managedFields): never `old`'s own.
    if (patched.metadata === old.metadata) patched.metadata = { ...old.metadata };
    return this.replace(rt, namespace, name, subresource, key, existing, old, patched, opts);
  }

  /**
   * The shared tail of update and patch: `incoming` replaces the stored object, subject to the
   * resourceVersion precondition it carries (none = unconditional).
   */
  private replace(
    rt: ResourceType,
    namespace: string,
    name: string,
    subresource: string,
    key: string,
    existing: StoredEntry,
    old: KubeObject,
    incoming: KubeObject,
    opts: WriteOptions,
  ): WriteResult {
    if (incoming.metadata.name !== name) {
      throw apiErrors.badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
    }
    this.bindNamespace(rt, incoming, namespace);
    requireRevision(rt, incoming, existing);
    const oldChecked = this.wasChecked(rt, existing);
    handleUnknownFields(rt, incoming, opts, oldChecked ? unchangedSubtrees(incoming, old) : undefined);
    const next = this.prepareUpdate(rt, incoming, old, subresource, oldChecked);
    next.metadata.managedFields = trackUpdate(old, next, this.managerOpts(rt, opts, subresource));
    // The half of `old` that prepareUpdate carries over was not pruned here: the result counts as
    // checked only if that half had been, or if nothing was carried.
    const carriesOld = subresource === 'status' || hasStatusSubresource(rt);
    return this.persistUpdate(rt, key, existing, old, next, opts, oldChecked || !carriesOld);
  }

  /**
   * DELETE as kube-apiserver's registry does it: preconditions, then graceful deletion (pods),
   * finalizers (which only mark the object), the garbage collector's orphan/foregroundDeletion
   * finalizers from the propagation policy, or removal. See deletion-plan.ts.
   */
  delete(rt: ResourceType, namespace: string, name: string, options: DeleteOptions): DeleteResult {
    this.namespaceLifecycle.admitDelete(rt, namespace, name);
    const key = objectKey(rt, namespace, name);
    const existing = this.store.get(key);
    if (!existing) throw apiErrors.notFound(target(rt), name);
    const current = decodeStored(rt, existing.value);
    checkDeletePreconditions(rt, current, existing, options);
    const plan = planDeletion(current, options, rt.strategy.deletion, this.now());
    return this.executeDeletion(rt, key, existing, current, plan, options);
  }

  private executeDeletion(rt: ResourceType, key: string, existing: StoredEntry, current: KubeObject, plan: DeletionPlan, options: DeleteOptions): DeleteResult {
    const dryRun = options.dryRun;
    const remove = (entry: StoredEntry, last: KubeObject): DeleteResult => {
      const text = dryRun ? JSON.stringify(last) : present(rt, this.store.delete(key, entry.modRevision, (rev) => serializeAt(toStorage(rt, last), rev)).value);
      return deleteAnswer(rt, last, text, true, options);
    };
    switch (plan.kind) {
      case 'pending':
        return deleteAnswer(rt, current, present(rt, existing.value), false, options);
      case 'remove':
        return remove(existing, current);
      case 'mark': {
        let entry = existing;
        let text: string;
        if (sameContent(plan.object, current)) text = present(rt, existing.value);
        else if (dryRun) text = JSON.stringify(plan.object);
        else {
          entry = this.store.update(key, existing.modRevision, (rev) => serializeAt(toStorage(rt, plan.object), rev));
          text = present(rt, entry.value);
        }
        if (plan.remove) return remove(entry, plan.object);
        return { code: deleteCode(false, options), body: text, object: text };
      }
    }
  }

  /**
   * NamespaceLifecycle for a create on a subresource of an existing object (pods/binding,
   * serviceaccounts/token): as in kube-apiserver, nothing new happens in a Terminating namespace.
   */
  admitSubresourceCreate(rt: ResourceType, namespace: string, name: string): void {
    this.namespaceLifecycle.admitCreate(rt, { metadata: { namespace, name } });
  }

  /** Deletes everything the selectors match; answers with the list of what was deleted. */
  deleteCollection(rt: ResourceType, namespace: string, params: ListParams, options: DeleteOptions): WriteResult {
    const page = this.list(rt, namespace, { ...params, limit: 0, continueToken: null });
    const deleted: string[] = [];
    for (const entry of page.items) {
      const obj = JSON.parse(entry.value) as KubeObject;
      try {
        deleted.push(this.delete(rt, obj.metadata.namespace ?? '', obj.metadata.name ?? '', { ...options, preconditions: undefined }).object);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    const body = `{"kind":"${rt.listKind}","apiVersion":"${apiVersionOf(rt)}","metadata":{"resourceVersion":"${this.store.revision}"},"items":[${deleted.join(',')}]}`;
    return { code: 200, body };
  }

  /**
   * One page of a list. Without a limit everything matching is returned at the current revision;
   * with a limit the continue token pins later pages to the first page's revision, answering
   * 410 Expired once that revision has been compacted, as etcd-backed Kubernetes does.
   */
  list(rt: ResourceType, namespace: string, params: ListParams): ListPage {
    const selection = compileSelection(rt, params.labelSelector, params.fieldSelector);
    const prefix = collectionPrefix(rt, namespace);
    let atRevision: number | undefined;
    let startAfter: string | undefined;
    if (params.continueToken) {
      const token = decodeContinue(params.continueToken);
      atRevision = token.rv;
      startAfter = prefix + token.start;
    } else if (params.resourceVersion && params.resourceVersionMatch === 'Exact') {
      atRevision = parseRevision(params.resourceVersion);
    }
    const filter = selection.everything ? undefined : (e: StoredEntry) => selection.matches(JSON.parse(e.value) as KubeObject);
    let result;
    try {
      result = this.store.list(prefix, { startAfter, limit: params.limit > 0 ? params.limit : undefined, atRevision, filter });
    } catch (e) {
      if (e instanceof TooOldError) {
        throw params.continueToken ? apiErrors.resourceExpired(continueTooOldMessage) : apiErrors.resourceExpired(`too old resource version: ${e.requested} (${e.compacted})`);
      }
      if (e instanceof RevisionTooLargeError) {
        throw new ApiError(504, 'Timeout', `Too large resource version: ${e.requested}, current: ${e.current}`, {
          causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
          retryAfterSeconds: 1,
        });
      }
      throw e;
    }
    const page: ListPage = { items: presentEntries(rt, result.items), revision: result.revision };
    if (result.more && result.items.length > 0) {
      const last = result.items[result.items.length - 1].key;
      page.continueToken = encodeContinue({ rv: result.revision, start: last.slice(prefix.length) });
      if (selection.everything) page.remainingItemCount = result.remaining;
    }
    return page;
  }

  /**
   * A system write that bypasses the kind's update validation (e.g. pods/binding setting the
   * otherwise immutable spec.nodeName). `fn` edits the parsed object in place.
   */
  mutate(rt: ResourceType, namespace: string, name: string, dryRun: boolean, fn: (obj: KubeObject, now: Date) => void): KubeObject {
    const key = objectKey(rt, namespace, name);
    const existing = this.store.get(key);
    if (!existing) throw apiErrors.notFound(target(rt), name);
    const obj = JSON.parse(existing.value) as KubeObject;
    fn(obj, this.now());
    if (!dryRun) {
      const entry = this.store.update(key, existing.modRevision, (rev) => serializeAt(obj, rev));
      // A system write sets server-made values of the schema's own types: what was checked stays so.
      const schema = this.checkedUnder.get(existing);
      if (schema) this.checkedUnder.set(entry, schema);
    }
    return obj;
  }

  private applyServerSide(
    rt: ResourceType,
    namespace: string,
    name: string,
    subresource: string,
    key: string,
    existing: StoredEntry | undefined,
    patch: unknown,
    opts: WriteOptions & { force: boolean },
  ): WriteResult {
    const config = requireKindOf(rt, patch);
    if (config.metadata.name !== undefined && config.metadata.name !== name) {
      throw apiErrors.badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
    }
    config.metadata.name = name;
    this.bindNamespace(rt, config, namespace);
    handleUnknownFields(rt, config, opts);
    const managerOpts = { ...this.managerOpts(rt, opts, subresource), force: opts.force };
    if (!existing) {
      this.namespaceLifecycle.admitCreate(rt, config);
      const applied = serverSideApply(undefined, config, managerOpts);
      const created = this.prepareCreate(rt, applied.object);
      created.metadata.managedFields = applied.managedFields;
      return this.persistCreate(rt, created, opts);
    }
    const old = decodeStored(rt, existing.value);
    requireRevision(rt, config, existing);
    const applied = serverSideApply(deepCopy(old), config, managerOpts);
    // Only the applied configuration was pruned: the result is as checked as `old` was.
    const oldChecked = this.wasChecked(rt, existing);
    const next = this.prepareUpdate(rt, applied.object, old, subresource, oldChecked);
    next.metadata.managedFields = applied.managedFields;
    return this.persistUpdate(rt, key, existing, old, next, opts, oldChecked);
  }

  /** Metadata and status as kube-apiserver's BeforeCreate + PrepareForCreate leave them. */
  private prepareCreate(rt: ResourceType, obj: KubeObject): KubeObject {
    const meta = obj.metadata;
    if (meta.resourceVersion) throw apiErrors.badRequest('resourceVersion should not be set on objects to be created');
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    meta.uid = randomUUID();
    meta.creationTimestamp = metaTime(this.now());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (tracksGeneration(rt)) meta.generation = 1;
    else delete meta.generation;
    if (hasStatusSubresource(rt)) delete obj['status'];
    rt.strategy.prepareForCreate?.(obj);
    applyDefaults(rt, obj);
    this.admitCreate?.(rt, obj);
    validateCreate(rt, obj);
    return obj;
  }

  /**
   * Merges an incoming object with the stored one: system metadata is kept, the status
   * subresource and the main resource each only change their own half, and generation moves
   * only when the spec (everything but metadata and status) changed.
   */
  private prepareUpdate(rt: ResourceType, incoming: KubeObject, old: KubeObject, subresource: string, oldChecked: boolean): KubeObject {
    // The half a write cannot change is shared with `old`, not copied: the ownership comparison
    // then skips it by identity (its cost on every write), and copying it cost as much again.
    // Sharing is safe because nothing below changes those subtrees: `old` is this request's own
    // parse of the stored object, which already went through the same defaulting (so
    // applyDefaults finds nothing to set there), prepareForUpdate and validation only read `old`,
    // and metadata — which this method and the caller do write — is copied.
    let next: KubeObject;
    if (subresource === 'status') {
      next = { ...old, metadata: { ...old.metadata } };
      if ('status' in incoming) next['status'] = incoming['status'];
      else delete next['status'];
    } else {
      next = incoming;
      if (hasStatusSubresource(rt)) {
        if ('status' in old) next['status'] = old['status'];
        else delete next['status'];
      }
    }
    const meta = next.metadata;
    const oldMeta = old.metadata;
    meta.uid = oldMeta.uid;
    meta.creationTimestamp = oldMeta.creationTimestamp;
    meta.namespace = oldMeta.namespace;
    meta.name = oldMeta.name;
    // An update without resourceVersion is unconditional (AllowUnconditionalUpdate): it applies to
    // whatever is stored, so it takes that revision.
    if (!meta.resourceVersion) meta.resourceVersion = oldMeta.resourceVersion;
    delete meta.selfLink;
    if (oldMeta.deletionTimestamp) {
      meta.deletionTimestamp = oldMeta.deletionTimestamp;
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (subresource === '') rt.strategy.prepareForUpdate?.(next, old);
    else if (subresource === 'status') rt.strategy.prepareForStatusUpdate?.(next, old);
    const unchanged: UnchangedSubtrees | undefined = oldChecked ? unchangedSubtrees(next, old) : undefined;
    applyDefaults(rt, next, unchanged);
    if (tracksGeneration(rt)) {
      meta.generation = (oldMeta.generation ?? 1) + (specChanged(rt, next, old) ? 1 : 0);
    } else {
      delete meta.generation;
    }
    validateUpdate(rt, next, old, { unchanged, statusWrite: subresource === 'status' });
    return next;
  }

  private persistCreate(rt: ResourceType, obj: KubeObject, opts: WriteOptions): WriteResult {
    const namespace = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    if (opts.dryRun) return { code: 201, body: JSON.stringify(obj) };
    try {
      const entry = this.store.create(objectKey(rt, namespace, name), (rev) => serializeAt(toStorage(rt, obj), rev));
      this.markChecked(rt, entry, true);
      return { code: 201, body: present(rt, entry.value) };
    } catch (e) {
      if (e instanceof KeyExistsError) throw apiErrors.alreadyExists(target(rt), name);
      throw e;
    }
  }

  /** `checked`: `next` was pruned, defaulted and validated under rt.schema in full (see checkedUnder). */
  private persistUpdate(rt: ResourceType, key: string, existing: StoredEntry, old: KubeObject, next: KubeObject, opts: WriteOptions, checked: boolean): WriteResult {
    // Kubernetes skips writes that change nothing (managedFields timestamps aside), so
    // re-applying the same manifest does not move resourceVersion or wake every watcher.
    if (sameContent(next, old)) return { code: 200, body: present(rt, existing.value) };
    if (opts.dryRun) return { code: 200, body: JSON.stringify(next) };
    try {
      if (shouldDeleteDuringUpdate(rt, next, old)) {
        const event = this.store.delete(key, existing.modRevision, (rev) => serializeAt(toStorage(rt, next), rev));
        return { code: 200, body: present(rt, event.value) };
      }
      const entry = this.store.update(key, existing.modRevision, (rev) => serializeAt(toStorage(rt, next), rev));
      this.markChecked(rt, entry, checked);
      return { code: 200, body: present(rt, entry.value) };
    } catch (e) {
      if (e instanceof RevisionMismatchError) throw apiErrors.conflict(target(rt), next.metadata.name ?? '');
      if (e instanceof KeyNotFoundError) throw apiErrors.notFound(target(rt), next.metadata.name ?? '');
      throw e;
    }
  }

  /** Whether `entry` was stored, checked in full, under the schema `rt` has now. */
  private wasChecked(rt: ResourceType, entry: StoredEntry): boolean {
    return !rt.codec && this.checkedUnder.get(entry) === rt.schema;
  }

  private markChecked(rt: ResourceType, entry: StoredEntry, checked: boolean): void {
    // A codec's stored shape is not the shape that was checked.
    if (checked && !rt.codec) this.checkedUnder.set(entry, rt.schema);
  }

  private bindNamespace(rt: ResourceType, obj: KubeObject, namespace: string): void {
    if (!rt.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw apiErrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = namespace;
  }

  private managerOpts(rt: ResourceType, opts: WriteOptions, subresource: string) {
    // Fields a write cannot change are not owned by its manager (GetResetFields in Kubernetes):
    // status through the main resource, spec and metadata through /status.
    let resetFields: string[][] | undefined;
    if (hasStatusSubresource(rt)) resetFields = subresource === 'status' ? [['spec'], ['metadata']] : [['status']];
    return { manager: opts.fieldManager, schema: rt.schema, apiVersion: apiVersionOf(rt), now: metaTime(this.now()), subresource: subresource || undefined, resetFields };
  }
}

/** A resourceVersion in the request is a precondition (optimistic concurrency); none means unconditional. */
function requireRevision(rt: ResourceType, incoming: KubeObject, existing: StoredEntry): void {
  const want = incoming.metadata.resourceVersion;
  if (want !== undefined && want !== '' && want !== String(existing.modRevision)) throw apiErrors.conflict(target(rt), incoming.metadata.name ?? '');
}

/**
 * ShouldDeleteDuringUpdate: an update that removes the last finalizer of an object being deleted
 * completes the deletion — unless a grace period is still running (a pod waiting for its node) or
 * the kind's own finalizers still hold it (a namespace's spec.finalizers).
 */
function shouldDeleteDuringUpdate(rt: ResourceType, next: KubeObject, old: KubeObject): boolean {
  if ((next.metadata.finalizers ?? []).length > 0) return false;
  if (!old.metadata.deletionTimestamp) return false;
  const grace = old.metadata.deletionGracePeriodSeconds;
  if (grace !== undefined && grace !== 0) return false;
  return !rt.strategy.deletion?.termination?.held(next);
}

/**
 * Delete preconditions. The generic registry checks them in BeforeDelete (the conflict names the
 * kind); the namespace registry in its own Delete, with the storage layer's wording.
 */
function checkDeletePreconditions(rt: ResourceType, obj: KubeObject, existing: StoredEntry, options: DeleteOptions): void {
  const pre = options.preconditions;
  if (!pre) return;
  const name = obj.metadata.name ?? '';
  const rv = String(existing.modRevision);
  if (rt.strategy.deletion?.termination) {
    if (pre.uid && pre.uid !== obj.metadata.uid) throw apiErrors.conflict(target(rt), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
    if (pre.resourceVersion && pre.resourceVersion !== rv) {
      throw apiErrors.conflict(target(rt), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${rv}`);
    }
    return;
  }
  const byKind: ErrorTarget = { group: rt.group, resource: rt.kind };
  if (pre.uid && pre.uid !== obj.metadata.uid) {
    throw apiErrors.conflict(byKind, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${obj.metadata.uid}). The object might have been deleted and then recreated`);
  }
  if (pre.resourceVersion && pre.resourceVersion !== rv) {
    throw apiErrors.conflict(byKind, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${rv}). The object might have been modified`);
  }
}

/** 202 only when the object stays and the client explicitly asked for cascading (orphanDependents=false). */
function deleteCode(deleted: boolean, options: DeleteOptions): number {
  return !deleted && options.orphanDependents === false ? 202 : 200;
}

/**
 * The body of a DELETE that removed the object (or found a graceful deletion pending): the object
 * for kinds that return it, otherwise a Success Status naming it.
 */
function deleteAnswer(rt: ResourceType, obj: KubeObject, text: string, deleted: boolean, options: DeleteOptions): DeleteResult {
  const code = deleteCode(deleted, options);
  const body = rt.strategy.deletion?.returnsDeletedObject ? text : JSON.stringify(successStatus(rt, obj));
  return { code, body, object: text };
}

function successStatus(rt: ResourceType, obj: KubeObject) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata.name, group: rt.group || undefined, kind: rt.resource, uid: obj.metadata.uid },
  };
}

function parseRevision(rv: string): number {
  const n = Number(rv);
  if (!Number.isSafeInteger(n) || n < 0) throw apiErrors.badRequest(`invalid resource version ${JSON.stringify(rv)}`);
  return n;
}
