/**
 * Structural defaulting (apiextensions' structuraldefaulting.Default), run by kube-apiserver when a
 * custom resource is created, updated or read from storage: a property missing from an object, or
 * present as null while not nullable, gets a deep copy of its schema default. Defaults apply inside
 * array items and additionalProperties values too; a nullable null stays null.
 *
 * Run pruneUnknownFields and pruneNonNullableNullsWithoutDefaults first, as the server does.
 */
import type { Schema } from './types.ts';
import { deepCopyJson, isPlainObject } from './json-value.ts';
import type { UnchangedSubtrees } from './unchanged-subtrees.ts';

/** Mutates `value` in place, except its `unchanged` subtrees (already defaulted when stored). */
export function applySchemaDefaults(value: unknown, schema: Schema | undefined, unchanged?: UnchangedSubtrees): void {
  if (!schema || unchanged?.has(value)) return;
  if (isPlainObject(value)) {
    for (const [k, prop] of Object.entries(schema.properties ?? {})) {
      if (prop.default === undefined) continue;
      if (!Object.hasOwn(value, k) || isNonNullableNull(value[k], prop)) value[k] = deepCopyJson(prop.default);
    }
    const additional = isPlainObject(schema.additionalProperties) ? (schema.additionalProperties as Schema) : undefined;
    for (const k of Object.keys(value)) {
      const prop = schema.properties?.[k];
      if (prop) {
        applySchemaDefaults(value[k], prop, unchanged);
      } else if (additional) {
        if (isNonNullableNull(value[k], additional) && additional.default !== undefined) value[k] = deepCopyJson(additional.default);
        applySchemaDefaults(value[k], additional, unchanged);
      }
    }
  } else if (Array.isArray(value)) {
    const items = schema.items;
    for (let i = 0; i < value.length; i++) {
      if (items && isNonNullableNull(value[i], items) && items.default !== undefined) value[i] = deepCopyJson(items.default);
      applySchemaDefaults(value[i], items, unchanged);
    }
  }
}

function isNonNullableNull(v: unknown, s: Schema): boolean {
  return v === null && !s.nullable;
}
