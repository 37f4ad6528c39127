/**
 * structuraldefaulting.PruneNonNullableNullsWithoutDefaults: when decoding a custom resource,
 * kube-apiserver drops `null` for fields that are neither nullable nor defaulted, so
 * `spec: {foo: null}` behaves like `spec: {}` instead of failing type validation. Nulls of
 * defaulted fields are left for applySchemaDefaults.
 */
import type { Schema } from './types.ts';
import { isPlainObject } from './json-value.ts';
import type { UnchangedSubtrees } from './unchanged-subtrees.ts';

/** Mutates `value` in place, except its `unchanged` subtrees (already pruned when stored). */
export function pruneNonNullableNullsWithoutDefaults(value: unknown, schema: Schema | undefined, unchanged?: UnchangedSubtrees): void {
  if (unchanged?.has(value)) return;
  if (isPlainObject(value)) {
    for (const k of Object.keys(value)) {
      const fieldSchema = schemaForField(k, schema);
      if (value[k] === null && fieldSchema && !fieldSchema.nullable && fieldSchema.default === undefined) delete value[k];
      else pruneNonNullableNullsWithoutDefaults(value[k], fieldSchema, unchanged);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) pruneNonNullableNullsWithoutDefaults(item, schema?.items, unchanged);
  }
}

function schemaForField(field: string, schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  const prop = schema.properties?.[field];
  if (prop) return prop;
  return isPlainObject(schema.additionalProperties) ? (schema.additionalProperties as Schema) : undefined;
}
