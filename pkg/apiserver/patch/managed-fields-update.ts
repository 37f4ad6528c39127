/**
 * Ownership tracking for ordinary writes (create, update, patch — operation `Update`), as
 * kube-apiserver records it for every request's field manager: the fields this write added or
 * changed move to the writer (taken away from anyone else), fields it removed leave every owner,
 * and the writer's entry time is bumped only when it gained something.
 */
import type { Schema } from '../schema/types.ts';
import type { KubeObject, ManagedFieldsEntry } from '../api/object.ts';
import { FieldSet } from './field-set.ts';
import { fieldElement } from './field-set-path.ts';
import { objectSchema } from './field-set-object-meta.ts';
import {
  decodeManagedFields,
  encodeManagedFields,
  managedFieldsTime,
  managerIdentifier,
  type ManagedState,
  type ManagerIdentity,
} from './managed-fields.ts';
import { reconcileOwnership, stripState } from './managed-fields-ownership.ts';
import { stripUntrackedFields } from './managed-fields-strip.ts';
import { TypedValueError } from './field-set-schema.ts';

export interface TrackUpdateOptions {
  /** The request's field manager (`?fieldManager=`, or derived from the user agent by the caller). */
  manager: string;
  /** The resource's schema (CRD version schema or built-in kind schema). */
  schema: Schema;
  /** group/version of the endpoint, e.g. `v1` or `kuscia.secretflow/v1alpha1`. */
  apiVersion: string;
  /** Write time (any Date-parsable string); stored with second precision. */
  now: string;
  subresource?: string;
  /** Field paths the strategy resets for this endpoint, e.g. `[['status']]` on a main resource. */
  resetFields?: readonly (readonly string[])[];
}

/** kube-apiserver keeps at most this many Update entries; older ones merge into `ancient-changes`. */
export const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES_MANAGER = 'ancient-changes';
const CURRENT_OPERATION = '\u0000current-operation';

export function resetFieldSet(resetFields: TrackUpdateOptions['resetFields']): FieldSet {
  return FieldSet.of(...(resetFields ?? []).map((p) => p.map(fieldElement)));
}

/** The object without managedFields, as the ownership walkers see it. */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  const { managedFields: _dropped, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}

/** The zero object of a kind, which a create is compared against. */
export function emptyObjectLike(obj: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (obj.apiVersion !== undefined) out.apiVersion = obj.apiVersion;
  if (obj.kind !== undefined) out.kind = obj.kind;
  return out;
}

export interface RecordUpdateInput {
  live: unknown;
  updated: unknown;
  /** Root schema (already overlaid with ObjectMeta). */
  schema: Schema;
  state: ManagedState;
  identity: ManagerIdentity;
  apiVersion: string;
  time: string;
  ignored: FieldSet;
}

/** One Update write through the manager chain: ownership, strip, merge into the writer's entry. */
export function recordUpdate(input: RecordUpdateInput): ManagedState {
  const { state, changed } = reconcileOwnership({
    live: input.live,
    updated: input.updated,
    schema: input.schema,
    state: input.state,
    workflow: CURRENT_OPERATION,
    force: true,
    ignored: input.ignored,
  });
  const out = stripState(state);
  const gained = stripUntrackedFields(changed);
  if (!gained.isEmpty()) {
    const key = managerIdentifier(input.identity);
    const previous = out.get(key);
    // `previous.union` is `previous.set` itself when the write gained nothing new for this manager,
    // and the entry then keeps its stored FieldsV1 (only its time moves).
    out.set(key, {
      ...previous,
      identity: input.identity,
      apiVersion: input.apiVersion,
      set: previous ? previous.set.union(gained) : gained,
      time: input.time,
    });
  }
  return capUpdateManagers(out, MAX_UPDATE_MANAGERS);
}

/**
 * capManagersManager: beyond `max` Update entries, the oldest are folded, per API version, into
 * an `ancient-changes` entry.
 */
export function capUpdateManagers(state: ManagedState, max: number): ManagedState {
  const updaters = [...state.entries()].filter(([, m]) => m.identity.operation === 'Update');
  if (updaters.length <= max) return state;
  const seconds = (t: string | undefined): number => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);
  updaters.sort(([ka, a], [kb, b]) => seconds(a.time) - seconds(b.time) || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const out = new Map(state);
  const firstByVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [key, entry] of updaters) {
    if (count <= max) break;
    const version = entry.apiVersion;
    const bucketIdentity: ManagerIdentity = { manager: ANCIENT_CHANGES_MANAGER, operation: 'Update', apiVersion: version };
    const bucket = managerIdentifier(bucketIdentity);
    const first = firstByVersion.get(version);
    if (first === undefined) {
      firstByVersion.set(version, key);
      continue;
    }
    if (!out.has(bucket)) {
      const firstEntry = out.get(first)!;
      out.delete(first);
      out.set(bucket, { ...firstEntry, identity: bucketIdentity });
    }
    out.set(bucket, { identity: bucketIdentity, apiVersion: version, set: entry.set.union(out.get(bucket)!.set), time: entry.time });
    out.delete(key);
    count--;
  }
  return out;
}

function decodeOrEmpty(entries: ManagedFieldsEntry[] | undefined): ManagedState | undefined {
  try {
    return decodeManagedFields(entries);
  } catch {
    return undefined;
  }
}

/**
 * The managedFields after a create/update/patch by `opts.manager`. `old` is undefined for a
 * create. A client may replace managedFields by sending a non-empty valid list on the main
 * resource; otherwise the live object's list is the starting point.
 */
export function trackUpdate(old: KubeObject | undefined, updated: KubeObject, opts: TrackUpdateOptions): ManagedFieldsEntry[] {
  let state = opts.subresource ? undefined : decodeOrEmpty(updated.metadata?.managedFields);
  if (!state || state.size === 0) state = decodeOrEmpty(old?.metadata?.managedFields);
  // Decoding failed both ways: kube-apiserver drops managedFields rather than keep garbage.
  if (!state) return [];
  // An existing object that was never tracked stays untracked until its first apply.
  if (state.size === 0 && old?.metadata?.uid) return [];
  const identity: ManagerIdentity = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion };
  if (opts.subresource) identity.subresource = opts.subresource;
  try {
    const next = recordUpdate({
      live: old ? withoutManagedFields(old) : emptyObjectLike(updated),
      updated: withoutManagedFields(updated),
      schema: objectSchema(opts.schema),
      state,
      identity,
      apiVersion: opts.apiVersion,
      time: managedFieldsTime(opts.now),
      ignored: resetFieldSet(opts.resetFields),
    });
    return encodeManagedFields(next);
  } catch (err) {
    // Like kube-apiserver's UpdateNoErrors: a write is never refused over bookkeeping; an object
    // the walkers cannot type (e.g. a list-map item without its key) loses its managedFields.
    if (err instanceof TypedValueError) return [];
    throw err;
  }
}
