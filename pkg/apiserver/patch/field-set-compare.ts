/**
 * Which fields differ between two versions of an object (structured-merge-diff `Compare`):
 * leaves that appeared, changed or disappeared, plus the non-leaf nodes (maps, list items) that
 * appeared or disappeared as a whole. Updates take ownership of `added ∪ modified`; other owners
 * lose `removed`.
 */
import type { Schema } from '../schema/types.ts';
import { isPlainObject } from '../api/object.ts';
import { FieldSet } from './field-set.ts';
import { fieldElement, type PathElement } from './field-set-path.ts';
import { DEDUCED, atomFor, indexListItems, mapFieldType, type Atom } from './field-set-schema.ts';
import { deepEqual } from './field-set-value.ts';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compareValues(lhs: unknown, rhs: unknown, schema: Schema): Comparison {
  const walk = new Walk();
  visit(lhs, rhs, schema, walk);
  return { added: walk.added.root, modified: walk.modified.root, removed: walk.removed.root };
}

/**
 * One result set being filled along the walk: `nodes[i]` is its node for the walk's first `i`
 * path elements, created on the first insert below it (a set never holds empty children). A leaf
 * then lands in its node directly, instead of every insert looking its path up from the root —
 * which was most of the comparison's cost on a create, where every leaf is added.
 */
class ResultSet {
  readonly root = new FieldSet();
  private readonly nodes: (FieldSet | undefined)[] = [this.root];

  /** A new path element at depth `length - 1`: nodes from an earlier sibling no longer apply. */
  entered(length: number): void {
    this.nodes[length] = undefined;
  }

  /** Inserts the walk's current path. */
  insert(walk: Walk): void {
    const last = walk.elements.length - 1;
    this.nodeAt(last, walk).insertMember(walk.elements[last], walk.keys[last]);
  }

  private nodeAt(depth: number, walk: Walk): FieldSet {
    let node = this.nodes[depth];
    if (!node) {
      node = this.nodeAt(depth - 1, walk).childFor(walk.elements[depth - 1], walk.keys[depth - 1]);
      this.nodes[depth] = node;
    }
    return node;
  }
}

/** The walk's current path (one array pushed and popped, with each element's FieldsV1 key) and its three results. */
class Walk {
  readonly elements: PathElement[] = [];
  readonly keys: string[] = [];
  readonly added = new ResultSet();
  readonly modified = new ResultSet();
  readonly removed = new ResultSet();

  push(element: PathElement, key: string): void {
    this.elements.push(element);
    this.keys.push(key);
    const length = this.elements.length;
    this.added.entered(length);
    this.modified.entered(length);
    this.removed.entered(length);
  }

  pop(): void {
    this.elements.pop();
    this.keys.pop();
  }
}

function isEmptyContainer(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.keys(v).length === 0;
}

function sameShape(a: Atom, b: Atom): boolean {
  return a.kind === b.kind;
}

function leaf(lhs: unknown, rhs: unknown, walk: Walk): void {
  if (lhs === undefined) walk.added.insert(walk);
  else if (rhs === undefined) walk.removed.insert(walk);
  else if (!deepEqual(lhs, rhs)) walk.modified.insert(walk);
}

function visit(lhs: unknown, rhs: unknown, schema: Schema, walk: Walk): void {
  if (lhs === undefined && rhs === undefined) return;
  // The same value on both sides (a subtree the write did not copy) holds no difference.
  if (lhs === rhs) return;
  const la = atomFor(schema, lhs ?? rhs);
  const ra = atomFor(schema, rhs ?? lhs);
  if (!sameShape(la, ra) || la.kind === 'scalar' || ra.kind === 'scalar' || ra.atomic) {
    leaf(lhs, rhs, walk);
    return;
  }
  // Both sides empty or null: a leaf, so that {} vs null vs absent stays visible.
  if (isEmptyContainer(lhs) && isEmptyContainer(rhs)) {
    leaf(lhs, rhs, walk);
    return;
  }
  if (ra.kind === 'list' && la.kind === 'list') {
    // A TypedValueError keeps the path it is given: hand it a copy, not the walk's stack.
    const listPath = [...walk.elements];
    const left = indexListItems(ra, Array.isArray(lhs) ? lhs : [], listPath, false);
    const right = indexListItems(ra, Array.isArray(rhs) ? rhs : [], listPath, false);
    const rightByKey = new Map(right.map((r) => [r.key, r]));
    const leftKeys = new Set(left.map((l) => l.key));
    const all: Array<{ element: PathElement; key: string; l: unknown; r: unknown }> = left.map((l) => ({ element: l.element, key: l.key, l: l.item, r: rightByKey.get(l.key)?.item }));
    for (const r of right) if (!leftKeys.has(r.key)) all.push({ element: r.element, key: r.key, l: undefined, r: r.item });
    for (const item of all) {
      walk.push(item.element, item.key);
      visit(item.l, item.r, ra.item, walk);
      walk.pop();
    }
  } else if (ra.kind === 'map') {
    const l = isPlainObject(lhs) ? lhs : {};
    const r = isPlainObject(rhs) ? rhs : {};
    const visitKey = (key: string) => {
      walk.push(fieldElement(key), `f:${key}`);
      visit(l[key], r[key], mapFieldType(ra, key)?.schema ?? DEDUCED, walk);
      walk.pop();
    };
    for (const key of Object.keys(l)) visitKey(key);
    for (const key of Object.keys(r)) if (!Object.hasOwn(l, key)) visitKey(key);
  }
  // A node that appeared or disappeared as a whole.
  if (walk.elements.length > 0) {
    if (lhs === undefined) walk.added.insert(walk);
    else if (rhs === undefined) walk.removed.insert(walk);
  }
}
