/**
 * Path elements of a managed-fields path (structured-merge-diff `fieldpath.PathElement`): a struct
 * or map field, a list-map item identified by its key fields, a set item identified by its value,
 * or (rarely) a list index. Each element has one canonical string — its FieldsV1 key — which is
 * also how the field-set maps index it.
 */
import { canonicalJson, compareStrings, compareValues, valueToString } from './field-set-value.ts';

export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  /** Key fields sorted by name, as structured-merge-diff sorts them. */
  | { readonly kind: 'key'; readonly fields: ReadonlyArray<readonly [string, unknown]> }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'index'; readonly index: number };

export type FieldPath = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return { kind: 'field', name };
}

export function keyElement(fields: Iterable<readonly [string, unknown]>): PathElement {
  const sorted = [...fields].sort((a, b) => compareStrings(a[0], b[0]));
  return { kind: 'key', fields: sorted };
}

export function valueElement(value: unknown): PathElement {
  return { kind: 'value', value };
}

export function indexElement(index: number): PathElement {
  return { kind: 'index', index };
}

/** The FieldsV1 key: `f:name`, `k:{"name":"x"}`, `v:"x"`, `i:0`. */
export function elementKey(e: PathElement): string {
  switch (e.kind) {
    case 'field':
      return `f:${e.name}`;
    case 'key':
      return `k:{${e.fields.map(([n, v]) => `${JSON.stringify(n)}:${canonicalJson(v)}`).join(',')}}`;
    case 'value':
      return `v:${canonicalJson(e.value)}`;
    case 'index':
      return `i:${e.index}`;
  }
}

/** The human form used in conflict messages: `.name`, `[name="x"]`, `[=x]`, `[0]`. */
export function elementToString(e: PathElement): string {
  switch (e.kind) {
    case 'field':
      return `.${e.name}`;
    case 'key':
      return `[${e.fields.map(([n, v]) => `${n}=${valueToString(v)}`).join(',')}]`;
    case 'value':
      return `[=${valueToString(e.value)}]`;
    case 'index':
      return `[${e.index}]`;
  }
}

export function pathToString(path: FieldPath): string {
  return path.map(elementToString).join('');
}

const kindRank = { field: 0, key: 1, value: 2, index: 3 } as const;

/** PathElement.Compare: fields before keys before values before indexes, then by content. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return kindRank[a.kind] - kindRank[b.kind];
  switch (a.kind) {
    case 'field':
      return compareStrings(a.name, (b as typeof a).name);
    case 'key': {
      const bf = (b as typeof a).fields;
      for (let i = 0; i < Math.min(a.fields.length, bf.length); i++) {
        const byName = compareStrings(a.fields[i][0], bf[i][0]);
        if (byName !== 0) return byName;
        const byValue = compareValues(a.fields[i][1], bf[i][1]);
        if (byValue !== 0) return byValue;
      }
      return a.fields.length - bf.length;
    }
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index':
      return a.index - (b as typeof a).index;
  }
}

/** Parses one FieldsV1 key; throws on anything structured-merge-diff would reject. */
export function parseElementKey(key: string): PathElement {
  const prefix = key.slice(0, 2);
  const body = key.slice(2);
  switch (prefix) {
    case 'f:':
      return fieldElement(body);
    case 'k:': {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error(`key element ${JSON.stringify(key)} is not a JSON object`);
      }
      return keyElement(Object.entries(parsed));
    }
    case 'v:':
      return valueElement(JSON.parse(body));
    case 'i:': {
      const index = Number(body);
      if (!Number.isInteger(index) || index < 0) throw new Error(`invalid index element ${JSON.stringify(key)}`);
      return indexElement(index);
    }
    default:
      throw new Error(`unknown path element type in ${JSON.stringify(key)}`);
  }
}
