/**
 * metadata.managedFields ⇄ per-manager field sets. A manager is identified like kube-apiserver's
 * BuildManagerIdentifier: the entry without fields and time, and without apiVersion for appliers
 * (an applier keeps one entry whatever version it applies with). Encoding sorts entries like
 * Kubernetes: Apply before Update, then by time, manager, apiVersion, subresource.
 */
import type { ManagedFieldsEntry } from '../api/object.ts';
import { isPlainObject } from '../api/object.ts';
import { FieldSet } from './field-set.ts';
import { decodeFieldsV1Form, encodeFieldsV1, type FieldsV1 } from './field-set-fieldsv1.ts';
import { compareStrings } from './field-set-value.ts';

export type ManagedFieldsOperation = 'Apply' | 'Update';

export interface ManagerIdentity {
  manager: string;
  operation: ManagedFieldsOperation;
  /** Only part of the identity for Update entries. */
  apiVersion?: string;
  subresource?: string;
}

export interface ManagedSet {
  readonly identity: ManagerIdentity;
  /** The API version the fields were written with. */
  readonly apiVersion: string;
  readonly set: FieldSet;
  readonly time?: string;
  /**
   * The canonical FieldsV1 `set` was decoded from. Encoding emits it again (no re-encoding) while
   * the entry's set is still that very set; any change to the fields makes a new set.
   */
  readonly decodedFrom?: { readonly set: FieldSet; readonly fieldsV1: FieldsV1 };
}

/** Field sets by manager identifier. */
export type ManagedState = Map<string, ManagedSet>;

export class ManagedFieldsDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManagedFieldsDecodeError';
  }
}

/** The JSON identifier kube-apiserver keys managers by (Go field order, empty fields omitted). */
export function managerIdentifier(id: ManagerIdentity): string {
  const o: Record<string, string> = {};
  if (id.manager) o.manager = id.manager;
  o.operation = id.operation;
  if (id.operation === 'Update' && id.apiVersion) o.apiVersion = id.apiVersion;
  if (id.subresource) o.subresource = id.subresource;
  return JSON.stringify(o);
}

/** How a manager is named in conflict messages: `"kubectl"`, `"ctl" with subresource "status" using v1`. */
export function describeManager(id: ManagerIdentity): string {
  let s = JSON.stringify(id.manager);
  if (id.subresource) s += ` with subresource ${JSON.stringify(id.subresource)}`;
  if (id.operation === 'Update') s += ` using ${id.apiVersion ?? ''}`;
  return s;
}

export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined | null): ManagedState {
  const state: ManagedState = new Map();
  (entries ?? []).forEach((entry: ManagedFieldsEntry, i) => {
    if (!isPlainObject(entry as unknown)) throw new ManagedFieldsDecodeError(`managed fields entry ${i} is not an object`);
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') throw new ManagedFieldsDecodeError('operation must be `Apply` or `Update`');
    if (!entry.apiVersion) throw new ManagedFieldsDecodeError('apiVersion must not be empty');
    if (entry.fieldsType === undefined || (entry.fieldsType as string) === '') throw new ManagedFieldsDecodeError(`missing fieldsType in managed fields entry ${i}`);
    if (entry.fieldsType !== 'FieldsV1') throw new ManagedFieldsDecodeError(`invalid fieldsType ${JSON.stringify(entry.fieldsType)} in managed fields entry ${i}`);
    const identity: ManagerIdentity = { manager: entry.manager ?? '', operation: entry.operation, apiVersion: entry.apiVersion };
    if (entry.subresource) identity.subresource = entry.subresource;
    let decoded: { set: FieldSet; canonical: boolean };
    try {
      decoded = decodeFieldsV1Form(entry.fieldsV1 ?? {});
    } catch (err) {
      throw new ManagedFieldsDecodeError(`error decoding versioned set from entry ${i}: ${(err as Error).message}`);
    }
    const { set, canonical } = decoded;
    const managed: ManagedSet = { identity, apiVersion: entry.apiVersion, set, time: entry.time };
    state.set(managerIdentifier(identity), canonical && entry.fieldsV1 ? { ...managed, decodedFrom: { set, fieldsV1: entry.fieldsV1 as FieldsV1 } } : managed);
  });
  return state;
}

function unixSeconds(time: string | undefined): number {
  if (!time) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

export function compareEntries(p: ManagedFieldsEntry, q: ManagedFieldsEntry): number {
  if (p.operation !== q.operation) return compareStrings(p.operation ?? '', q.operation ?? '');
  const pt = unixSeconds(p.time);
  const qt = unixSeconds(q.time);
  if (pt !== qt) return pt - qt;
  if (p.manager !== q.manager) return compareStrings(p.manager ?? '', q.manager ?? '');
  if (p.apiVersion !== q.apiVersion) return compareStrings(p.apiVersion ?? '', q.apiVersion ?? '');
  return compareStrings(p.subresource ?? '', q.subresource ?? '');
}

export function encodeManagedFields(state: ManagedState): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = [];
  for (const { identity, apiVersion, set, time, decodedFrom } of state.values()) {
    if (set.isEmpty()) continue;
    const entry: ManagedFieldsEntry = { manager: identity.manager, operation: identity.operation, apiVersion };
    if (time) entry.time = time;
    entry.fieldsType = 'FieldsV1';
    // The stored FieldsV1 object is shared, not copied: nothing changes a decoded object's fields in place.
    entry.fieldsV1 = decodedFrom?.set === set ? decodedFrom.fieldsV1 : encodeFieldsV1(set);
    if (identity.subresource) entry.subresource = identity.subresource;
    entries.push(entry);
  }
  return entries.sort(compareEntries);
}

/** metav1.Time precision: RFC 3339 in UTC, whole seconds. */
export function managedFieldsTime(now: string): string {
  // Already second precision (what the registry passes): nothing to normalise.
  if (now.length === 20 && now.endsWith('Z')) return now;
  const ms = Date.parse(now);
  if (Number.isNaN(ms)) return now;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Same managers owning the same fields (times ignored). */
export function sameOwnership(a: ManagedState, b: ManagedState): boolean {
  const live = [...a.entries()].filter(([, m]) => !m.set.isEmpty());
  const other = new Map([...b.entries()].filter(([, m]) => !m.set.isEmpty()));
  if (live.length !== other.size) return false;
  return live.every(([k, m]) => {
    const o = other.get(k);
    return o !== undefined && o.apiVersion === m.apiVersion && o.set.equals(m.set);
  });
}
