/**
 * How server-side apply sees a schema node (structured-merge-diff's atoms): a scalar leaf, a list
 * (atomic, a set, or a map keyed by some fields) or a map (atomic, or granular with named fields
 * and/or an element type). Built-in kinds describe list maps with the strategic-merge-patch
 * extensions instead of `x-kubernetes-list-type`; Kubernetes converts those the same way.
 *
 * A schema without a type (or with `x-kubernetes-preserve-unknown-fields`) is "deduced": its shape
 * comes from the value — maps granular, lists atomic — like structured-merge-diff's untyped type.
 */
import type { Schema } from '../schema/types.ts';
import { isPlainObject } from '../api/object.ts';
import { elementKey, elementToString, keyElement, pathToString, valueElement, type FieldPath, type PathElement } from './field-set-path.ts';

/** The deduced (untyped) schema. */
export const DEDUCED: Schema = Object.freeze({}) as Schema;

export interface MapAtom {
  readonly kind: 'map';
  readonly atomic: boolean;
  readonly fields: Readonly<Record<string, Schema>>;
  /** Type of keys that are not named fields; undefined when such keys are not allowed. */
  readonly element: Schema | undefined;
}

export interface ListAtom {
  readonly kind: 'list';
  readonly atomic: boolean;
  /** Key fields of a list map; empty for a set. */
  readonly keys: readonly string[];
  readonly item: Schema;
}

export type Atom = { readonly kind: 'scalar' } | MapAtom | ListAtom;

const SCALAR: Atom = { kind: 'scalar' };

type ShapeOfSchema = 'map' | 'list' | 'scalar' | 'deduced';

function schemaShape(s: Schema): ShapeOfSchema {
  if (s['x-kubernetes-int-or-string']) return 'scalar';
  if (s.type === 'object' || s.properties || (s.additionalProperties !== undefined && s.type === undefined)) return 'map';
  if (s.type === 'array' || s.items) return 'list';
  if (s.type) return 'scalar';
  return 'deduced';
}

function mapAtom(s: Schema): MapAtom {
  const fields = s.properties ?? {};
  let element: Schema | undefined;
  if (isPlainObject(s.additionalProperties)) element = s.additionalProperties as Schema;
  else if (s.additionalProperties === true || s['x-kubernetes-preserve-unknown-fields'] || !s.properties) element = DEDUCED;
  return { kind: 'map', atomic: s['x-kubernetes-map-type'] === 'atomic', fields, element };
}

function listAtom(s: Schema): ListAtom {
  const item = s.items ?? DEDUCED;
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'map') return { kind: 'list', atomic: false, keys: s['x-kubernetes-list-map-keys'] ?? [], item };
  if (listType === 'set') return { kind: 'list', atomic: false, keys: [], item };
  if (listType === 'atomic') return { kind: 'list', atomic: true, keys: [], item };
  // Built-in kinds: a strategic "merge" list is associative, keyed by its patch merge key.
  const mergeKey = s['x-kubernetes-patch-merge-key'];
  if (mergeKey) return { kind: 'list', atomic: false, keys: [mergeKey], item };
  if (s['x-kubernetes-patch-strategy']?.split(',').includes('merge')) return { kind: 'list', atomic: false, keys: [], item };
  return { kind: 'list', atomic: true, keys: [], item };
}

/**
 * The atom used to walk `value`. A value whose JSON type disagrees with the schema is handled as
 * an opaque leaf (validation reports the mismatch; apply just carries the value along). `null`
 * walks as an empty map or list where the schema says so, like structured-merge-diff.
 */
export function atomFor(s: Schema, value: unknown): Atom {
  const shape = schemaShape(s);
  if (shape === 'deduced') {
    if (Array.isArray(value)) return { kind: 'list', atomic: true, keys: [], item: DEDUCED };
    if (isPlainObject(value) || value === null) return { kind: 'map', atomic: false, fields: {}, element: DEDUCED };
    return SCALAR;
  }
  if (shape === 'map' && (isPlainObject(value) || value === null || value === undefined)) return mapAtom(s);
  if (shape === 'list' && (Array.isArray(value) || value === null || value === undefined)) return listAtom(s);
  return SCALAR;
}

/** Schema-only view (no value at hand): used to find named fields in a field set. */
export function staticAtom(s: Schema): Atom {
  const shape = schemaShape(s);
  if (shape === 'map') return mapAtom(s);
  if (shape === 'list') return listAtom(s);
  return SCALAR;
}

/** The schema of map key `key`, and whether it is a named (declared) field. */
export function mapFieldType(atom: MapAtom, key: string): { schema: Schema; named: boolean } | undefined {
  if (Object.hasOwn(atom.fields, key)) return { schema: atom.fields[key], named: true };
  if (atom.element) return { schema: atom.element, named: false };
  return undefined;
}

/** A walker failure, reported like structured-merge-diff's ValidationError (`.path: message`). */
export class TypedValueError extends Error {
  readonly path: string;
  readonly detail: string;
  constructor(path: FieldPath, detail: string) {
    const p = pathToString(path);
    super(p ? `${p}: ${detail}` : detail);
    this.name = 'TypedValueError';
    this.path = p;
    this.detail = detail;
  }
}

/**
 * Key-field defaults Kubernetes declares with `+default` but that the published built-in OpenAPI
 * here may not carry: every built-in list-map key with a default is a `protocol` (ports of
 * containers, services, endpoints), defaulting to TCP.
 */
const PUBLISHED_KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/** The path element identifying one item of an associative list. */
export function listItemElement(atom: ListAtom, item: unknown, listPath: FieldPath): PathElement {
  if (atom.keys.length > 0) {
    if (item === null) throw new TypedValueError(listPath, 'associative list with keys may not have a null element');
    if (!isPlainObject(item)) throw new TypedValueError(listPath, 'associative list with keys may not have non-map elements');
    const fields: Array<[string, unknown]> = [];
    for (const key of atom.keys) {
      if (item[key] !== undefined) {
        fields.push([key, item[key]]);
        continue;
      }
      const defaulted = atom.item.properties?.[key]?.default ?? PUBLISHED_KEY_DEFAULTS[key];
      if (defaulted === undefined) {
        throw new TypedValueError(listPath, `associative list with keys has an element that omits key field ${JSON.stringify(key)} (and doesn't have default value)`);
      }
      fields.push([key, defaulted]);
    }
    return keyElement(fields);
  }
  if (isPlainObject(item)) throw new TypedValueError(listPath, "associative list without keys has an element that's a map type");
  if (Array.isArray(item)) throw new TypedValueError(listPath, 'not supported: associative list with lists as elements');
  if (item === null) throw new TypedValueError(listPath, "associative list without keys has an element that's an explicit null");
  return valueElement(item);
}

export interface IndexedItem {
  readonly element: PathElement;
  readonly key: string;
  readonly item: unknown;
}

/**
 * The items of an associative list with their path elements. Duplicates are an error in an
 * applied configuration; in a stored object the first occurrence wins.
 */
export function indexListItems(atom: ListAtom, items: readonly unknown[], listPath: FieldPath, rejectDuplicates: boolean): IndexedItem[] {
  const seen = new Set<string>();
  const out: IndexedItem[] = [];
  for (const item of items) {
    const element = listItemElement(atom, item, listPath);
    const key = elementKey(element);
    if (seen.has(key)) {
      if (rejectDuplicates) throw new TypedValueError(listPath, `duplicate entries for key ${elementToString(element)}`);
      continue;
    }
    seen.add(key);
    out.push({ element, key, item });
  }
  return out;
}
