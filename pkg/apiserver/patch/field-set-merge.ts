/**
 * Merging an applied configuration into the live object (structured-merge-diff `Merge`): the
 * configuration wins for scalars and atomic values; granular maps merge per key; associative
 * lists merge per item key, keeping live-only items in place and ordering shared items the way
 * the configuration orders them.
 */
import type { Schema } from '../schema/types.ts';
import { isPlainObject } from '../api/object.ts';
import { fieldElement, type FieldPath } from './field-set-path.ts';
import { DEDUCED, atomFor, indexListItems, mapFieldType, type ListAtom, type MapAtom } from './field-set-schema.ts';
import { deepClone } from './field-set-value.ts';

export function mergeValues(lhs: unknown, rhs: unknown, schema: Schema): unknown {
  return merge(lhs, rhs, schema, []);
}

function isEmptyContainer(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.keys(v).length === 0;
}

function merge(lhs: unknown, rhs: unknown, schema: Schema, path: FieldPath): unknown {
  if (rhs === undefined) return deepClone(lhs);
  if (lhs === undefined) return deepClone(rhs);
  const la = atomFor(schema, lhs);
  const ra = atomFor(schema, rhs);
  if (la.kind !== ra.kind || ra.kind === 'scalar' || ra.atomic || (isEmptyContainer(lhs) && isEmptyContainer(rhs))) {
    return deepClone(rhs);
  }
  if (ra.kind === 'map') return mergeMaps(lhs, rhs, ra, path);
  return mergeLists(lhs, rhs, ra, path);
}

function mergeMaps(lhs: unknown, rhs: unknown, atom: MapAtom, path: FieldPath): Record<string, unknown> {
  const l = isPlainObject(lhs) ? lhs : {};
  const r = isPlainObject(rhs) ? rhs : {};
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(l), ...Object.keys(r)])) {
    const type = mapFieldType(atom, key)?.schema ?? DEDUCED;
    const merged = merge(l[key], r[key], type, [...path, fieldElement(key)]);
    if (merged !== undefined) out[key] = merged;
  }
  return out;
}

/**
 * Walks both lists at once. Live-only items keep their position; configuration items are emitted
 * in configuration order; a shared item is emitted when the configuration reaches it, so the
 * configuration decides the relative order of the items it mentions.
 */
function mergeLists(lhs: unknown, rhs: unknown, atom: ListAtom, path: FieldPath): unknown[] {
  const left = indexListItems(atom, Array.isArray(lhs) ? lhs : [], path, false);
  const right = indexListItems(atom, Array.isArray(rhs) ? rhs : [], path, false);
  const leftByKey = new Map(left.map((i) => [i.key, i]));
  const rightByKey = new Map(right.map((i) => [i.key, i]));
  const sharedOrder = right.filter((i) => leftByKey.has(i.key)).map((i) => i.key);
  let nextShared = sharedOrder.shift();
  const emitted = new Set<string>();
  const out: unknown[] = [];
  const emit = (key: string): void => {
    const l = leftByKey.get(key);
    const r = rightByKey.get(key);
    const element = (r ?? l)!.element;
    const merged = merge(l?.item, r?.item, atom.item, [...path, element]);
    if (merged !== undefined) out.push(merged);
  };

  let li = 0;
  let ri = 0;
  while (li < left.length || ri < right.length) {
    if (li < left.length && ri < right.length) {
      const lk = left[li].key;
      if (lk === right[ri].key) {
        emitted.add(lk);
        emit(lk);
        li++;
        ri++;
        nextShared = sharedOrder.shift();
        continue;
      }
      // A shared item the configuration places later: skip it here, emit it when reached.
      if (rightByKey.has(lk) && nextShared !== undefined && nextShared !== lk) {
        li++;
        continue;
      }
    }
    if (li < left.length) {
      const lk = left[li].key;
      if (!rightByKey.has(lk)) {
        emit(lk);
        li++;
        continue;
      }
      if (emitted.has(lk)) {
        li++;
        continue;
      }
    }
    if (ri < right.length) {
      const rk = right[ri].key;
      emitted.add(rk);
      emit(rk);
      ri++;
      if (nextShared === rk) nextShared = sharedOrder.shift();
    }
  }
  return out;
}
