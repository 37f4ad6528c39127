/**
 * Helpers for values decoded from JSON (what kube-apiserver calls "unstructured" content):
 * objects, arrays, strings, numbers, booleans and null.
 */
import { isPlainObject } from '../api/object.ts';

export { isPlainObject };

/** The JSON kind of a decoded value, with integral numbers told apart as Go's decoder does (int64 vs float64). */
export type JsonKind = 'null' | 'boolean' | 'string' | 'integer' | 'number' | 'array' | 'object';

export function jsonKind(v: unknown): JsonKind {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** runtime.DeepCopyJSONValue: defaults are copied so that no two objects share a default's structure. */
export function deepCopyJson<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

/** reflect.DeepEqual on JSON values (key order does not matter). */
export function deepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqualJson(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqualJson(a[k], b[k]));
  }
  return false;
}

/** encoding/json.Marshal of a map sorts keys; uniqueness checks compare that canonical form. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}
