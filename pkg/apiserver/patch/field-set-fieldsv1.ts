/**
 * The FieldsV1 wire form of a field set (`metadata.managedFields[].fieldsV1`): a trie of JSON
 * objects keyed by path elements (`f:`, `k:`, `v:`, `i:`), `{}` for a leaf, and `".": {}` marking
 * a node that is itself a member while also having children.
 */
import { isPlainObject } from '../api/object.ts';
import { FieldSet } from './field-set.ts';
import { compareElements, elementKey, parseElementKey, type PathElement } from './field-set-path.ts';

export type FieldsV1 = { [key: string]: FieldsV1 };

export class FieldsV1DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldsV1DecodeError';
  }
}

export function encodeFieldsV1(set: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  const children = new Map(set.sortedChildren().map((c) => [elementKey(c.element), c.set]));
  const elements = new Map<string, PathElement>();
  for (const e of set.sortedMembers()) elements.set(elementKey(e), e);
  for (const c of set.sortedChildren()) elements.set(elementKey(c.element), c.element);
  const ordered = [...elements.entries()].sort((a, b) => compareElements(a[1], b[1]));
  for (const [key, element] of ordered) {
    const child = children.get(key);
    if (!child) {
      out[key] = {};
      continue;
    }
    const encoded = encodeFieldsV1(child);
    out[key] = set.hasMember(element) ? { '.': {}, ...encoded } : encoded;
  }
  return out;
}

export function decodeFieldsV1(raw: unknown): FieldSet {
  const set = new FieldSet();
  decodeInto(set, raw, undefined);
  return set;
}

function decodeInto(set: FieldSet, raw: unknown, self: { parent: FieldSet; element: PathElement } | undefined): void {
  if (!isPlainObject(raw)) throw new FieldsV1DecodeError('FieldsV1 must be a JSON object');
  for (const [key, value] of Object.entries(raw)) {
    if (key === '.') {
      if (!self) throw new FieldsV1DecodeError('"." is not allowed at the root of FieldsV1');
      self.parent.insertMember(self.element);
      continue;
    }
    let element: PathElement;
    try {
      element = parseElementKey(key);
    } catch (err) {
      throw new FieldsV1DecodeError(`invalid FieldsV1 key ${JSON.stringify(key)}: ${(err as Error).message}`);
    }
    if (!isPlainObject(value)) throw new FieldsV1DecodeError(`FieldsV1 entry ${JSON.stringify(key)} must be an object`);
    if (Object.keys(value).length === 0) {
      set.insertMember(element);
      continue;
    }
    const child = new FieldSet();
    decodeInto(child, value, { parent: set, element });
    if (!child.isEmpty()) {
      for (const p of child.paths()) set.insert([element, ...p]);
    }
  }
}
