/**
 * Server-side apply (`PATCH` with `application/apply-patch+yaml`) as kube-apiserver performs it:
 * merge the applied configuration into the live object, prune what this manager applied before
 * but no longer applies (unless someone else owns it), detect conflicts with other managers, and
 * record ownership in metadata.managedFields. Pure: no storage, no clock (the caller passes `now`).
 */
import type { Schema } from '../schema/types.ts';
import { ApiError } from '../api/errors.ts';
import { isPlainObject, type KubeObject, type ManagedFieldsEntry } from '../api/object.ts';
import { FieldSet } from './field-set.ts';
import { typedFieldSet } from './field-set-of.ts';
import { objectSchema } from './field-set-object-meta.ts';
import { TypedValueError } from './field-set-schema.ts';
import { mergeValues } from './field-set-merge.ts';
import { removeFields } from './field-set-remove.ts';
import { compareValues } from './field-set-compare.ts';
import { ensureNamedFieldsAreMembers } from './field-set-named.ts';
import { pathToString } from './field-set-path.ts';
import { canonicalJson, deepClone, deepEqual } from './field-set-value.ts';
import {
  decodeManagedFields,
  encodeManagedFields,
  managedFieldsTime,
  managerIdentifier,
  sameOwnership,
  type ManagedFieldsOperation,
  type ManagedState,
  type ManagerIdentity,
} from './managed-fields.ts';
import { OwnershipConflicts, reconcileOwnership, stripState, type FieldConflict } from './managed-fields-ownership.ts';
import { conflictCauses, conflictMessage } from './managed-fields-conflicts.ts';
import { emptyObjectLike, recordUpdate, resetFieldSet, withoutManagedFields } from './managed-fields-update.ts';

export { trackUpdate, type TrackUpdateOptions } from './managed-fields-update.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** kubectl's server-side apply manager; only it migrates client-side-apply ownership. */
const KUBECTL_MANAGER = 'kubectl';
const BEFORE_FIRST_APPLY_MANAGER = 'before-first-apply';

export interface ApplyOptions {
  /** `?fieldManager=` (required for apply; the handler rejects an empty one). */
  manager: string;
  /** `?force=true`: take conflicting fields over instead of failing. */
  force: boolean;
  schema: Schema;
  /** group/version of the endpoint, e.g. `v1` or `kuscia.secretflow/v1alpha1`. */
  apiVersion: string;
  /** Write time (any Date-parsable string); stored with second precision. */
  now: string;
  subresource?: string;
  /** The endpoint's kind; the configuration must name the same group/version/kind. */
  kind?: string;
  /** Name and namespace from the URL, checked against the resulting object like kube's checkName. */
  name?: string;
  namespace?: string;
  /** Field paths the strategy resets for this endpoint, e.g. `[['status']]` on a main resource. */
  resetFields?: readonly (readonly string[])[];
}

export interface ApplyResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
}

export interface ApplyConflict {
  manager: string;
  operation: ManagedFieldsOperation;
  /** Set for Update owners (shown as `using <apiVersion>`). */
  apiVersion?: string;
  subresource?: string;
  /** The field as Kubernetes prints it, e.g. `.spec.containers[name="c"].image`. */
  field: string;
}

/** 409 Conflict listing the fields other managers own (kube's NewApplyConflict). */
export class ApplyConflictError extends ApiError {
  readonly conflicts: readonly ApplyConflict[];
  constructor(conflicts: readonly FieldConflict[]) {
    super(409, 'Conflict', conflictMessage(conflicts), { causes: conflictCauses(conflicts) });
    this.name = 'ApplyConflictError';
    this.conflicts = conflicts.map((c) => {
      const out: ApplyConflict = { manager: c.identity.manager, operation: c.identity.operation, field: pathToString(c.path) };
      if (c.identity.operation === 'Update' && c.identity.apiVersion) out.apiVersion = c.identity.apiVersion;
      if (c.identity.subresource) out.subresource = c.identity.subresource;
      return out;
    });
  }
}

/**
 * An apply body kube-apiserver refuses: wrong group/version/kind, managedFields present, a name
 * that does not match the URL (400 BadRequest), or a body that does not fit the schema
 * ("failed to create typed patch object", which kube-apiserver reports as a 500).
 */
export class ApplyInvalidError extends ApiError {
  constructor(message: string, code = 400, reason = 'BadRequest') {
    super(code, reason, message);
    this.name = 'ApplyInvalidError';
  }
}

function gvkString(apiVersion: unknown, kind: unknown): string {
  const gv = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = gv.indexOf('/');
  const group = slash >= 0 ? gv.slice(0, slash) : '';
  const version = slash >= 0 ? gv.slice(slash + 1) : gv;
  return `${group}/${version}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

function validateConfig(config: KubeObject, opts: ApplyOptions): void {
  if (!isPlainObject(config)) throw new ApplyInvalidError('the apply configuration must be an object');
  const expectedKind = opts.kind;
  if (!config.kind || (expectedKind !== undefined && (config.kind !== expectedKind || config.apiVersion !== opts.apiVersion))) {
    throw new ApplyInvalidError(`invalid object type: ${gvkString(config.apiVersion, config.kind)}`);
  }
  if (config.apiVersion !== opts.apiVersion) {
    const specified = typeof config.apiVersion === 'string' ? config.apiVersion : '';
    throw new ApplyInvalidError(`Incorrect version specified in apply patch. Specified patch version: ${specified}, expected: ${opts.apiVersion}`);
  }
  const meta: unknown = config.metadata;
  if (isPlainObject(meta) && meta.managedFields !== undefined && meta.managedFields !== null) {
    throw new ApplyInvalidError('metadata.managedFields must be nil');
  }
}

function typedConfigSet(config: KubeObject, schema: Schema): FieldSet {
  try {
    return typedFieldSet(config, schema, { strict: true });
  } catch (err) {
    if (!(err instanceof TypedValueError)) throw err;
    const meta = isPlainObject(config.metadata) ? config.metadata : {};
    const nn = `${meta.namespace ?? ''}/${meta.name ?? ''}`;
    throw new ApplyInvalidError(`failed to create typed patch object (${nn}; ${gvkString(config.apiVersion, config.kind)}): ${err.message}`, 500, '');
  }
}

/**
 * Removes from `merged` what the manager applied last time (`lastSet`) but no longer applies and
 * nobody else owns (structured-merge-diff's prune / addBackOwnedItems / addBackDanglingItems).
 */
function prune(merged: unknown, managers: ManagedState, lastSet: FieldSet | undefined, schema: Schema): unknown {
  if (!lastSet || lastSet.isEmpty()) return merged;
  const named = (s: FieldSet): FieldSet => ensureNamedFieldsAreMembers(s, schema);
  const fieldsOf = (v: unknown): FieldSet => named(typedFieldSet(v, schema, { strict: false }));
  const last = named(lastSet);
  const mergedSet = fieldsOf(merged);
  const firstCut = removeFields(merged, last, schema);
  let owned = new FieldSet();
  for (const m of managers.values()) owned = owned.union(m.set);
  const addedBack = removeFields(merged, mergedSet.difference(fieldsOf(firstCut).union(named(owned))), schema);
  return removeFields(merged, mergedSet.difference(fieldsOf(addedBack)).intersection(last), schema);
}

interface ApplyContext {
  live: KubeObject;
  config: KubeObject;
  schema: Schema;
  state: ManagedState;
  identity: ManagerIdentity;
  opts: ApplyOptions;
  time: string;
  ignored: FieldSet;
}

function structuredApply(ctx: ApplyContext, force: boolean): { object: KubeObject; state: ManagedState } {
  let state = ctx.state;
  // An object nobody tracked yet: its current fields belong to "before-first-apply".
  if (state.size === 0) {
    state = recordUpdate({
      live: emptyObjectLike(ctx.config),
      updated: ctx.live,
      schema: ctx.schema,
      state,
      identity: { manager: BEFORE_FIRST_APPLY_MANAGER, operation: 'Update', apiVersion: ctx.opts.apiVersion },
      apiVersion: ctx.opts.apiVersion,
      time: ctx.time,
      ignored: ctx.ignored,
    });
  }
  const key = managerIdentifier(ctx.identity);
  const applied = typedConfigSet(ctx.config, ctx.schema).recursiveDifference(ctx.ignored);
  const merged = mergeValues(ctx.live, ctx.config, ctx.schema);
  const previous = state.get(key);
  const managers: ManagedState = new Map(state);
  managers.set(key, { identity: ctx.identity, apiVersion: ctx.opts.apiVersion, set: applied, time: previous?.time });
  const pruned = prune(merged, managers, previous?.set, ctx.schema) as KubeObject;
  const { state: owned } = reconcileOwnership({
    live: ctx.live,
    updated: pruned,
    schema: ctx.schema,
    state: managers,
    workflow: key,
    force,
    ignored: ctx.ignored,
  });
  const next = stripState(owned);
  const mine = next.get(key);
  if (mine) next.set(key, { ...mine, time: ctx.time });
  return { object: pruned, state: next };
}

/**
 * kubectl's migration from client-side apply: conflicts on fields that the last-applied
 * annotation shows kubectl itself set (and that still hold that value) are not conflicts.
 */
function conflictsNotFromLastApplied(live: KubeObject, conflicts: readonly FieldConflict[], schema: Schema): readonly FieldConflict[] {
  const raw = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!raw) return conflicts;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(raw);
  } catch {
    return conflicts;
  }
  if (!isPlainObject(lastApplied)) return conflicts;
  let allowed: FieldSet;
  try {
    const changedSince = compareValues(lastApplied, live, schema).modified;
    allowed = typedFieldSet(lastApplied, schema, { strict: false }).difference(changedSince);
  } catch {
    return conflicts;
  }
  return conflicts.filter((c) => !allowed.has(c.path));
}

/** buildLastApplied: the applied configuration as JSON, without the annotation itself. */
function lastAppliedValue(config: KubeObject): string {
  const copy = deepClone(config);
  const annotations = copy.metadata?.annotations;
  if (annotations) {
    delete annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  return `${canonicalJson(copy)}\n`;
}

function checkName(object: KubeObject, opts: ApplyOptions): void {
  const name = object.metadata?.name ?? '';
  if (opts.name !== undefined && name !== opts.name) {
    throw new ApplyInvalidError(`the name of the object (${name}) does not match the name on the URL (${opts.name})`);
  }
  const namespace = object.metadata?.namespace ?? '';
  if (opts.namespace && namespace && namespace !== opts.namespace) {
    throw new ApplyInvalidError(`the namespace of the object (${namespace}) does not match the namespace on the URL (${opts.namespace})`);
  }
}

/**
 * Applies `config` on behalf of `opts.manager`. `live` is undefined when the object does not exist
 * (apply creates it). Throws ApplyConflictError / ApplyInvalidError; returns the new object with
 * its managedFields. An apply that changes nothing returns the live object unchanged (same
 * managedFields and times), so the caller can skip the write.
 */
export function apply(live: KubeObject | undefined, config: KubeObject, opts: ApplyOptions): ApplyResult {
  validateConfig(config, opts);
  const schema = objectSchema(opts.schema);
  let state: ManagedState;
  try {
    state = live ? decodeManagedFields(live.metadata?.managedFields) : new Map();
  } catch (err) {
    throw new ApiError(500, '', `failed to decode managed fields: ${(err as Error).message}`);
  }
  const identity: ManagerIdentity = { manager: opts.manager, operation: 'Apply' };
  if (opts.subresource) identity.subresource = opts.subresource;
  const liveObject = live ? withoutManagedFields(live) : (emptyObjectLike(config) as KubeObject);
  const ctx: ApplyContext = {
    live: liveObject,
    config,
    schema,
    state,
    identity,
    opts,
    time: managedFieldsTime(opts.now),
    ignored: resetFieldSet(opts.resetFields),
  };

  let result: { object: KubeObject; state: ManagedState };
  try {
    result = structuredApply(ctx, opts.force);
  } catch (err) {
    if (!(err instanceof OwnershipConflicts)) throw err;
    const remaining = opts.manager === KUBECTL_MANAGER && live ? conflictsNotFromLastApplied(liveObject, err.conflicts, schema) : err.conflicts;
    if (remaining.length > 0) throw new ApplyConflictError(remaining);
    result = structuredApply(ctx, true);
  }

  const object = result.object;
  checkName(object, opts);
  if (opts.manager === KUBECTL_MANAGER && object.metadata?.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined) {
    object.metadata.annotations[LAST_APPLIED_ANNOTATION] = lastAppliedValue(config);
  }

  if (live && deepEqual(object, liveObject) && sameOwnership(result.state, state)) {
    const unchanged = deepClone(live);
    return { object: unchanged, managedFields: unchanged.metadata.managedFields ?? [] };
  }
  const managedFields = encodeManagedFields(result.state);
  const metadata = { ...object.metadata };
  if (managedFields.length > 0) metadata.managedFields = managedFields;
  else delete metadata.managedFields;
  return { object: { ...object, metadata }, managedFields };
}
