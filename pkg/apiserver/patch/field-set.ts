/**
 * A set of field paths, structured like structured-merge-diff's `fieldpath.Set`: `members` are the
 * paths that end at this node, `children` hold the deeper paths by their first element. A path can
 * be both a member and have children (the FieldsV1 `.` entry). Child sets are never empty.
 *
 * Set algebra follows structured-merge-diff exactly: `difference` is per path (removing `a` does
 * not remove `a.b`); `recursiveDifference` removes whole subtrees.
 *
 * A set is never changed once built (only its builders — insert, insertMember, adoptChild — change
 * it, before it is handed out), so results share unchanged subtrees with their operands, and an
 * operation that changes nothing returns its receiver itself: the managed-fields code then knows
 * by identity which managers' sets a write left alone (and keeps their encoded FieldsV1).
 */
import { compareElements, elementKey, type FieldPath, type PathElement } from './field-set-path.ts';

interface ChildNode {
  readonly element: PathElement;
  readonly set: FieldSet;
}

export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, ChildNode>();

  static of(...paths: FieldPath[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: FieldPath): void {
    if (path.length === 0) return;
    // Walked in a loop rather than recursively on the rest of the path: the compare and
    // field-set walkers insert every leaf of an object, and slicing each path per level showed up
    // in write-path profiles.
    let node: FieldSet = this;
    const last = path.length - 1;
    for (let i = 0; i < last; i++) node = node.childFor(path[i]);
    node.members.set(elementKey(path[last]), path[last]);
  }

  insertMember(element: PathElement, key = elementKey(element)): void {
    this.members.set(key, element);
  }

  /** The child set under `element`, created when missing (callers must not leave it empty). */
  childFor(element: PathElement, key = elementKey(element)): FieldSet {
    let node = this.children.get(key);
    if (!node) {
      node = { element, set: new FieldSet() };
      this.children.set(key, node);
    }
    return node.set;
  }

  /**
   * Adds every path of `set` below `element`. `set` becomes this set's child when there is none
   * yet (the caller hands it over and must not change it afterwards), otherwise it is merged in.
   */
  adoptChild(element: PathElement, set: FieldSet, key = elementKey(element)): void {
    if (set.isEmpty()) return;
    const node = this.children.get(key);
    if (node) node.set.addAll(set);
    else this.children.set(key, { element, set });
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    const [head, ...rest] = path;
    const key = elementKey(head);
    if (rest.length === 0) return this.members.has(key);
    return this.children.get(key)?.set.has(rest) ?? false;
  }

  hasMember(element: PathElement): boolean {
    return this.members.has(elementKey(element));
  }

  /** The paths below `element` (without the element itself); empty when none. */
  withPrefix(element: PathElement): FieldSet {
    return this.children.get(elementKey(element))?.set ?? new FieldSet();
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** `this` itself when `other` adds nothing to it (`other` itself when `this` is empty). */
  union(other: FieldSet): FieldSet {
    if (other.isSubsetOf(this)) return this;
    if (this.isEmpty()) return other;
    const out = this.clone();
    out.addAll(other);
    return out;
  }

  isSubsetOf(other: FieldSet): boolean {
    if (this === other) return true;
    for (const k of this.members.keys()) if (!other.members.has(k)) return false;
    for (const [k, node] of this.children) {
      const theirs = other.children.get(k);
      if (!theirs || !node.set.isSubsetOf(theirs.set)) return false;
    }
    return true;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    // Walked from the smaller side: a manager's whole set meets a write's few changed fields.
    const fewer = this.members.size <= other.members.size ? this.members : other.members;
    const more = fewer === this.members ? other.members : this.members;
    for (const [k, e] of fewer) if (more.has(k)) out.members.set(k, e);
    const fewerChildren = this.children.size <= other.children.size ? this.children : other.children;
    const moreChildren = fewerChildren === this.children ? other.children : this.children;
    for (const [k, node] of fewerChildren) {
      const theirs = moreChildren.get(k);
      if (!theirs) continue;
      const both = node.set.intersection(theirs.set);
      if (!both.isEmpty()) out.children.set(k, { element: node.element, set: both });
    }
    return out;
  }

  /** `this` itself when none of its paths is in `other`. */
  difference(other: FieldSet): FieldSet {
    return this.without(other, false);
  }

  /** Removes every path of `this` that equals or lies below a member of `other`. */
  recursiveDifference(other: FieldSet): FieldSet {
    return this.without(other, true);
  }

  /** difference (`recursive` false) or recursiveDifference; `this` itself when nothing goes. */
  private without(other: FieldSet, recursive: boolean): FieldSet {
    if (other.isEmpty() || this.isEmpty()) return this;
    let dropsMember = false;
    for (const k of this.members.keys()) {
      if (other.members.has(k)) {
        dropsMember = true;
        break;
      }
    }
    // Only the children that lose something; the rest are shared with `this` as they are.
    let changedChildren: Map<string, FieldSet | undefined> | undefined;
    for (const [k, node] of this.children) {
      let rest: FieldSet | undefined;
      if (recursive && other.members.has(k)) rest = undefined;
      else {
        const theirs = other.children.get(k);
        if (!theirs) continue;
        rest = node.set.without(theirs.set, recursive);
        if (rest === node.set) continue;
      }
      (changedChildren ??= new Map()).set(k, rest);
    }
    if (!dropsMember && !changedChildren) return this;
    const out = new FieldSet();
    for (const [k, e] of this.members) if (!other.members.has(k)) out.members.set(k, e);
    for (const [k, node] of this.children) {
      if (!changedChildren?.has(k)) {
        out.children.set(k, node);
        continue;
      }
      const rest = changedChildren.get(k);
      if (rest && !rest.isEmpty()) out.children.set(k, { element: node.element, set: rest });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.members.size !== other.members.size || this.children.size !== other.children.size) return false;
    for (const k of this.members.keys()) if (!other.members.has(k)) return false;
    for (const [k, node] of this.children) {
      const theirs = other.children.get(k);
      if (!theirs || !node.set.equals(theirs.set)) return false;
    }
    return true;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    out.addAll(this);
    return out;
  }

  /** Members in structured-merge-diff order. */
  sortedMembers(): PathElement[] {
    return [...this.members.values()].sort(compareElements);
  }

  /** Children in structured-merge-diff order. */
  sortedChildren(): ChildNode[] {
    return [...this.children.values()].sort((a, b) => compareElements(a.element, b.element));
  }

  /**
   * The elements directly under this node in structured-merge-diff order, each once: whether it is
   * a member, and its child set if it has one (the shape FieldsV1 encodes).
   */
  sortedNodes(): { key: string; element: PathElement; member: boolean; child: FieldSet | undefined }[] {
    const out: { key: string; element: PathElement; member: boolean; child: FieldSet | undefined }[] = [];
    let onlyFields = true;
    for (const [key, element] of this.members) {
      out.push({ key, element, member: true, child: this.children.get(key)?.set });
      if (element.kind !== 'field') onlyFields = false;
    }
    for (const [key, node] of this.children) {
      if (this.members.has(key)) continue;
      out.push({ key, element: node.element, member: false, child: node.set });
      if (node.element.kind !== 'field') onlyFields = false;
    }
    // Fields order by name, which is the order of their `f:` keys: plain string comparison.
    if (onlyFields) return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out.sort((a, b) => compareElements(a.element, b.element));
  }

  /** Every path, members of a node before its children (Set.Iterate order). */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    this.collect([], out);
    return out;
  }

  private collect(prefix: PathElement[], out: FieldPath[]): void {
    for (const e of this.sortedMembers()) out.push([...prefix, e]);
    for (const node of this.sortedChildren()) node.set.collect([...prefix, node.element], out);
  }

  private addAll(other: FieldSet): void {
    for (const [k, e] of other.members) this.members.set(k, e);
    for (const [k, node] of other.children) this.childFor(node.element, k).addAll(node.set);
  }
}

