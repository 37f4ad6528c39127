import type { Schema } from './types.ts';
import type { UnchangedSubtrees } from './unchanged-subtrees.ts';

/** The first value whose JSON type cannot be decoded into the schema's type. */
export interface TypeMismatch {
  /** Dotted path without array indices, as Go's decoder names struct fields ("spec.containers.name"). */
  field: string;
  /** JSON kind found: string, number, bool, array, object. */
  found: string;
  /** Go-style target type: string, int32, int64, float64, bool, map, slice, struct. */
  expected: string;
}

/**
 * Mirrors what Go's JSON decoder refuses when kube-apiserver decodes a built-in object: a value
 * whose JSON type does not fit the field's type (a number where a string is declared, an object
 * where a list is, a fraction in an integer field). Built-ins are typed by Go structs, so such a
 * body is a 400 there and must be here too: storing it would break every typed client reading it.
 * null fits anything (it decodes to the zero value); unknown fields are somebody else's concern.
 * `unchanged` subtrees were checked when they were stored and are skipped.
 */
export function findTypeMismatch(value: unknown, schema: Schema | undefined, field = '', unchanged?: UnchangedSubtrees): TypeMismatch | undefined {
  if (value === null || value === undefined || !schema || unchanged?.has(value)) return undefined;
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties && !schema.items && !schema.additionalProperties) return undefined;
  const found = jsonKind(value);
  if (schema['x-kubernetes-int-or-string']) {
    return found === 'string' || (found === 'number' && Number.isInteger(value)) ? undefined : { field, found, expected: 'IntOrString' };
  }
  switch (schema.type) {
    case 'string':
      return found === 'string' ? undefined : { field, found, expected: 'string' };
    case 'boolean':
      return found === 'bool' ? undefined : { field, found, expected: 'bool' };
    case 'integer':
      if (found !== 'number') return { field, found, expected: schema.format === 'int32' ? 'int32' : 'int64' };
      return Number.isInteger(value) ? undefined : { field, found: `number ${String(value)}`, expected: schema.format === 'int32' ? 'int32' : 'int64' };
    case 'number':
      return found === 'number' ? undefined : { field, found, expected: 'float64' };
    case 'array': {
      if (!Array.isArray(value)) return { field, found, expected: 'slice' };
      for (const item of value) {
        const m = findTypeMismatch(item, schema.items, field, unchanged);
        if (m) return m;
      }
      return undefined;
    }
    case 'object': {
      if (found !== 'object') return { field, found, expected: schema.properties ? 'struct' : 'map' };
      const obj = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(obj)) {
        const child = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        const m = findTypeMismatch(v, child, field ? `${field}.${k}` : k, unchanged);
        if (m) return m;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function jsonKind(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}
