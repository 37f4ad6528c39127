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
  return decodeFieldsV1Form(raw).set;
}

/**
 * The field set of `raw`, and whether `raw` is canonical: exactly what encodeFieldsV1 makes of
 * that set (same keys, same key order, `"."` first), so a writer may store `raw` again in its
 * place. Checked in the same pass as decoding, for the cost of comparing neighbouring keys.
 */
export function decodeFieldsV1Form(raw: unknown): { set: FieldSet; canonical: boolean } {
  return decodeNode(raw, true);
}

/** One FieldsV1 object: its field set, whether it holds `"."` (the node is itself a member), and whether it is canonical. */
function decodeNode(raw: unknown, atRoot: boolean): { set: FieldSet; self: boolean; canonical: boolean } {
  if (!isPlainObject(raw)) throw new FieldsV1DecodeError('FieldsV1 must be a JSON object');
  const set = new FieldSet();
  let self = false;
  let canonical = true;
  let previous: { key: string; element: PathElement } | undefined;
  let index = 0;
  for (const [key, value] of Object.entries(raw)) {
    if (key === '.') {
      if (atRoot) throw new FieldsV1DecodeError('"." is not allowed at the root of FieldsV1');
      self = true;
      // The encoder writes `".": {}` first.
      if (index !== 0 || !isEmptyObject(value)) canonical = false;
      index++;
      continue;
    }
    index++;
    let element: PathElement;
    try {
      element = parseElementKey(key);
    } catch (err) {
      throw new FieldsV1DecodeError(`invalid FieldsV1 key ${JSON.stringify(key)}: ${(err as Error).message}`);
    }
    if (!isPlainObject(value)) throw new FieldsV1DecodeError(`FieldsV1 entry ${JSON.stringify(key)} must be an object`);
    // A field's key is always canonical (`f:` + name); others may be spelt differently (spaces, key order).
    const canonicalKey = element.kind === 'field' ? key : elementKey(element);
    if (canonical) canonical = canonicalKey === key && (previous === undefined || follows(previous, key, element));
    previous = { key, element };
    if (Object.keys(value).length === 0) {
      set.insertMember(element, canonicalKey);
      continue;
    }
    const child = decodeNode(value, false);
    // A node holding only "." is a plain member, which the encoder writes as `{}`.
    if (!child.canonical || (child.self && child.set.isEmpty())) canonical = false;
    if (child.self) set.insertMember(element, canonicalKey);
    set.adoptChild(element, child.set, canonicalKey);
  }
  return { set, self, canonical };
}

function isEmptyObject(v: unknown): boolean {
  return isPlainObject(v) && Object.keys(v).length === 0;
}

/** Whether `element` sorts strictly after `previous` (the encoder's order, structured-merge-diff's PathElement.Compare). */
function follows(previous: { key: string; element: PathElement }, key: string, element: PathElement): boolean {
  // Two fields compare by name, which is the order of their `f:` keys.
  if (previous.element.kind === 'field' && element.kind === 'field') return previous.key < key;
  return compareElements(previous.element, element) < 0;
}
