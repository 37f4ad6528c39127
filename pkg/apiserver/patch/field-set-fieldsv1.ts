/**
 * The FieldsV1 wire form of a field set (`metadata.managedFields[].fieldsV1`): a trie of JSON
 * objects keyed by path elements (`f:`, `k:`, `v:`, `i:`), `{}` for a leaf, and `".": {}` marking
 * a node that is itself a member while also having children.
 */
import { isPlainObject } from '../api/object.ts';
import { FieldSet } from './field-set.ts';
import { parseElementKey, type PathElement } from './field-set-path.ts';

export type FieldsV1 = { [key: string]: FieldsV1 };

export class FieldsV1DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldsV1DecodeError';
  }
}

export function encodeFieldsV1(set: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  for (const { key, member, child } of set.sortedNodes()) {
    if (!child) {
      out[key] = {};
      continue;
    }
    const encoded = encodeFieldsV1(child);
    out[key] = member ? { '.': {}, ...encoded } : encoded;
  }
  return out;
}

export function decodeFieldsV1(raw: unknown): FieldSet {
  return decodeNode(raw, true).set;
}

/** One FieldsV1 object: its field set, and whether it holds `"."` (the node is itself a member). */
function decodeNode(raw: unknown, atRoot: boolean): { set: FieldSet; self: boolean } {
  if (!isPlainObject(raw)) throw new FieldsV1DecodeError('FieldsV1 must be a JSON object');
  const set = new FieldSet();
  let self = false;
  for (const [key, value] of Object.entries(raw)) {
    if (key === '.') {
      if (atRoot) throw new FieldsV1DecodeError('"." is not allowed at the root of FieldsV1');
      self = true;
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
    const child = decodeNode(value, false);
    if (child.self) set.insertMember(element);
    set.adoptChild(element, child.set);
  }
  return { set, self };
}
