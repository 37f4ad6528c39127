/**
 * x-kubernetes-list-type `set` and `map` invariants (apiextensions' ValidateListSetsAndMaps):
 * set items must be unique, map items unique by their list-map keys. Reported as Duplicate value
 * at the first repeated index.
 */
import { type FieldError, fieldErrors } from '../api/field-error.ts';
import type { Schema } from './types.ts';
import type { UnchangedSubtrees } from './unchanged-subtrees.ts';
import { canonicalJson, isPlainObject } from './json-value.ts';
import { childPath, indexPath, keyPath } from './field-path.ts';
import { duplicateRendered } from '../validation/go-render.ts';

export function validateListSetsAndMaps(value: unknown, schema: Schema | undefined, path?: string, unchanged?: UnchangedSubtrees): FieldError[] {
  if (!schema || unchanged?.has(value)) return [];
  if (Array.isArray(value)) return validateArray(value, schema, path, unchanged);
  if (!isPlainObject(value)) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(value)) {
    const prop = schema.properties?.[k];
    if (prop) errs.push(...validateListSetsAndMaps(v, prop, childPath(path, k), unchanged));
    else if (isPlainObject(schema.additionalProperties)) errs.push(...validateListSetsAndMaps(v, schema.additionalProperties as Schema, keyPath(path, k), unchanged));
  }
  return errs;
}

function validateArray(items: unknown[], schema: Schema, path: string | undefined, unchanged: UnchangedSubtrees | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') {
    for (const i of firstRepeats(items)) errs.push(duplicateRendered(indexPath(path, i), items[i]));
  } else if (listType === 'map') {
    errs.push(...validateListMap(items, schema, path));
  }
  if (schema.items) items.forEach((item, i) => errs.push(...validateListSetsAndMaps(item, schema.items, indexPath(path, i), unchanged)));
  return errs;
}

/** Indices where a value is seen for the second time (later repeats are not reported again). */
function firstRepeats(values: unknown[]): number[] {
  const seen = new Map<string, number>();
  const repeats: number[] = [];
  values.forEach((v, i) => {
    const key = canonicalJson(v);
    const times = seen.get(key) ?? 0;
    if (times === 1) repeats.push(i);
    seen.set(key, times + 1);
  });
  return repeats;
}

function validateListMap(items: unknown[], schema: Schema, path: string | undefined): FieldError[] {
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    if (x !== null && !isPlainObject(x)) return [fieldErrors.invalid(indexPath(path, i), x, 'must be an object for an array of list-type map')];
  }
  if (items.length <= 1) return [];
  const keyFields = schema['x-kubernetes-list-map-keys'] ?? [];
  const keys = items.map((x) => {
    const key: Record<string, unknown> = {};
    if (isPlainObject(x)) for (const f of keyFields) if (Object.hasOwn(x, f)) key[f] = x[f];
    return key;
  });
  return firstRepeats(keys).map((i) => duplicateRendered(indexPath(path, i), keys[i]));
}
