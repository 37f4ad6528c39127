/**
 * A set of field paths, structured like structured-merge-diff's `fieldpath.Set`: `members` are the
 * paths that end at this node, `children` hold the deeper paths by their first element. A path can
 * be both a member and have children (the FieldsV1 `.` entry). Child sets are never empty.
 *
 * Set algebra follows structured-merge-diff exactly: `difference` is per path (removing `a` does
 * not remove `a.b`); `recursiveDifference` removes whole subtrees.
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

  insertMember(element: PathElement): void {
    this.members.set(elementKey(element), element);
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
  adoptChild(element: PathElement, set: FieldSet): void {
    if (set.isEmpty()) return;
    const key = elementKey(element);
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

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    out.addAll(other);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, e] of this.members) if (other.members.has(k)) out.members.set(k, e);
    for (const [k, node] of this.children) {
      const theirs = other.children.get(k);
      if (!theirs) continue;
      const both = node.set.intersection(theirs.set);
      if (!both.isEmpty()) out.children.set(k, { element: node.element, set: both });
    }
    return out;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, e] of this.members) if (!other.members.has(k)) out.members.set(k, e);
    for (const [k, node] of this.children) {
      const theirs = other.children.get(k);
      const rest = theirs ? node.set.difference(theirs.set) : node.set.clone();
      if (!rest.isEmpty()) out.children.set(k, { element: node.element, set: rest });
    }
    return out;
  }

  /** Removes every path of `this` that equals or lies below a member of `other`. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, e] of this.members) if (!other.members.has(k)) out.members.set(k, e);
    for (const [k, node] of this.children) {
      if (other.members.has(k)) continue;
      const theirs = other.children.get(k);
      const rest = theirs ? node.set.recursiveDifference(theirs.set) : node.set.clone();
      if (!rest.isEmpty()) out.children.set(k, { element: node.element, set: rest });
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
    for (const [key, element] of this.members) out.push({ key, element, member: true, child: this.children.get(key)?.set });
    for (const [key, node] of this.children) if (!this.members.has(key)) out.push({ key, element: node.element, member: false, child: node.set });
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

