/**
 * Which fields differ between two versions of an object (structured-merge-diff `Compare`):
 * leaves that appeared, changed or disappeared, plus the non-leaf nodes (maps, list items) that
 * appeared or disappeared as a whole. Updates take ownership of `added ∪ modified`; other owners
 * lose `removed`.
 */
import type { Schema } from '../schema/types.ts';
import { isPlainObject } from '../api/object.ts';
import { FieldSet } from './field-set.ts';
import { fieldElement, type FieldPath, type PathElement } from './field-set-path.ts';
import { DEDUCED, atomFor, indexListItems, mapFieldType, type Atom } from './field-set-schema.ts';
import { deepEqual } from './field-set-value.ts';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compareValues(lhs: unknown, rhs: unknown, schema: Schema): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  visit(lhs, rhs, schema, [], c);
  return c;
}

function isEmptyContainer(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.keys(v).length === 0;
}

function sameShape(a: Atom, b: Atom): boolean {
  return a.kind === b.kind;
}

function leaf(lhs: unknown, rhs: unknown, path: FieldPath, c: Comparison): void {
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
  else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
}

/**
 * `path` is one array pushed and popped along the walk (FieldSet.insert copies the elements it
 * keeps): copying the path per node was the walk's main cost on every write.
 */
function visit(lhs: unknown, rhs: unknown, schema: Schema, path: PathElement[], c: Comparison): void {
  if (lhs === undefined && rhs === undefined) return;
  // The same value on both sides (a subtree the write did not copy) holds no difference.
  if (lhs === rhs) return;
  const la = atomFor(schema, lhs ?? rhs);
  const ra = atomFor(schema, rhs ?? lhs);
  if (!sameShape(la, ra) || la.kind === 'scalar' || ra.kind === 'scalar' || ra.atomic) {
    leaf(lhs, rhs, path, c);
    return;
  }
  // Both sides empty or null: a leaf, so that {} vs null vs absent stays visible.
  if (isEmptyContainer(lhs) && isEmptyContainer(rhs)) {
    leaf(lhs, rhs, path, c);
    return;
  }
  if (ra.kind === 'list' && la.kind === 'list') {
    // A TypedValueError keeps the path it is given: hand it a copy, not the walk's stack.
    const listPath = [...path];
    const left = indexListItems(ra, Array.isArray(lhs) ? lhs : [], listPath, false);
    const right = indexListItems(ra, Array.isArray(rhs) ? rhs : [], listPath, false);
    const rightByKey = new Map(right.map((r) => [r.key, r]));
    const leftKeys = new Set(left.map((l) => l.key));
    const all: Array<{ element: PathElement; l: unknown; r: unknown }> = left.map((l) => ({ element: l.element, l: l.item, r: rightByKey.get(l.key)?.item }));
    for (const r of right) if (!leftKeys.has(r.key)) all.push({ element: r.element, l: undefined, r: r.item });
    for (const item of all) {
      path.push(item.element);
      visit(item.l, item.r, ra.item, path, c);
      path.pop();
    }
  } else if (ra.kind === 'map') {
    const l = isPlainObject(lhs) ? lhs : {};
    const r = isPlainObject(rhs) ? rhs : {};
    const visitKey = (key: string) => {
      path.push(fieldElement(key));
      visit(l[key], r[key], mapFieldType(ra, key)?.schema ?? DEDUCED, path, c);
      path.pop();
    };
    for (const key of Object.keys(l)) visitKey(key);
    for (const key of Object.keys(r)) if (!Object.hasOwn(l, key)) visitKey(key);
  }
  // A node that appeared or disappeared as a whole.
  if (path.length > 0) {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
  }
}
