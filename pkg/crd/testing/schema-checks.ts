/**
 * Test-only helpers that look at CRD schemas the way kube-apiserver does: the structural-schema
 * rules, printer-column JSONPath resolution, pruning (which fields would be dropped) and a small
 * subset of OpenAPI validation (type, required, enum, bounds, pattern). They are deliberately
 * independent of the API server's own implementation so the two can check each other.
 */
import type { Schema } from '../../apiserver/schema/types.ts';

const VALUE_VALIDATION_ONLY = new Set([
  'type',
  'default',
  'nullable',
  'additionalProperties',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
  'description',
]);

/** Returns one message per violation of the structural-schema rules (empty when structural). */
export function structuralViolations(schema: Schema, path = ''): string[] {
  const out: string[] = [];
  const at = path || '<root>';
  if ('$ref' in schema) out.push(`${at}: $ref is not allowed`);
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (!schema.type && !intOrString && !preserve) out.push(`${at}: type must be set`);
  if (schema.type === 'array' && !schema.items) out.push(`${at}: array needs items`);
  if (schema.type && schema.type !== 'object' && (schema.properties || schema.additionalProperties)) {
    out.push(`${at}: properties/additionalProperties only allowed on objects`);
  }
  if (schema.properties && schema.additionalProperties !== undefined) {
    out.push(`${at}: properties and additionalProperties are mutually exclusive`);
  }
  if (intOrString) {
    // The only structural use of anyOf: exactly integer|string alternatives.
    const alternatives = (schema.anyOf ?? []).map((s) => s.type).sort();
    if (schema.anyOf && JSON.stringify(alternatives) !== JSON.stringify(['integer', 'string'])) {
      out.push(`${at}: int-or-string anyOf must be [integer, string]`);
    }
  } else {
    for (const key of ['anyOf', 'allOf', 'oneOf'] as const) {
      for (const [i, sub] of (schema[key] ?? []).entries()) out.push(...junctorViolations(sub, `${at}.${key}[${i}]`));
    }
  }
  if (schema.default !== undefined) {
    for (const err of validate(schema, schema.default, `${at}(default)`)) out.push(`default does not validate: ${err}`);
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) out.push(...structuralViolations(sub, `${path}.${name}`));
  if (schema.items) out.push(...structuralViolations(schema.items, `${path}[]`));
  if (typeof schema.additionalProperties === 'object') {
    out.push(...structuralViolations(schema.additionalProperties, `${path}{}`));
  }
  return out;
}

function junctorViolations(schema: Schema, at: string): string[] {
  return Object.keys(schema)
    .filter((k) => VALUE_VALIDATION_ONLY.has(k))
    .map((k) => `${at}: ${k} not allowed inside anyOf/allOf/oneOf`);
}

/** ObjectMeta fields a printer column may reference (metadata is not spelled out in CRD schemas). */
const OBJECT_META_FIELDS = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'deletionTimestamp',
  'labels',
  'annotations',
  'uid',
  'resourceVersion',
  'generation',
]);

/**
 * Resolves a printer-column JSONPath such as `.status.conditions[?(@.type=="Ready")].status`
 * against a schema; returns the leaf schema or an error message.
 */
export function resolveJsonPath(root: Schema, jsonPath: string): { schema?: Schema; error?: string } {
  const tokens = jsonPath.match(/\.[A-Za-z_][\w-]*|\[\?\(@\.[\w-]+==(?:"[^"]*"|'[^']*')\)\]|\[\d+\]|\[\*\]/g);
  if (!tokens || tokens.join('') !== jsonPath) return { error: `unsupported JSONPath ${jsonPath}` };
  let node: Schema = root;
  if (tokens[0] === '.metadata') {
    const field = tokens[1]?.slice(1);
    return field && OBJECT_META_FIELDS.has(field) && tokens.length === 2
      ? { schema: { type: 'string' } }
      : { error: `unknown metadata path ${jsonPath}` };
  }
  for (const token of tokens) {
    if (token.startsWith('.')) {
      const next = node.properties?.[token.slice(1)];
      if (!next) return { error: `${jsonPath}: no field ${token.slice(1)}` };
      node = next;
    } else {
      if (node.type !== 'array' || !node.items) return { error: `${jsonPath}: ${token} applied to a non-array` };
      const filterField = /^\[\?\(@\.([\w-]+)==/.exec(token)?.[1];
      if (filterField && !node.items.properties?.[filterField]) return { error: `${jsonPath}: items have no field ${filterField}` };
      node = node.items;
    }
  }
  return { schema: node };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Paths in `value` that are not declared by `schema` and would be pruned. */
export function prunedFields(schema: Schema, value: unknown, path = ''): string[] {
  if (schema['x-kubernetes-preserve-unknown-fields'] || schema['x-kubernetes-int-or-string']) return [];
  const kind = typeOf(value);
  if (kind === 'array' && schema.items) {
    return (value as unknown[]).flatMap((item, i) => prunedFields(schema.items as Schema, item, `${path}[${i}]`));
  }
  if (kind !== 'object') return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (path === '' && key === 'metadata') continue; // ObjectMeta is handled by the server, not the CRD schema.
    const sub = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (!sub) {
      if (schema.additionalProperties !== true) out.push(`${path}.${key}`);
      continue;
    }
    out.push(...prunedFields(sub, child, `${path}.${key}`));
  }
  return out;
}

/** A small OpenAPI validator: type, required, enum, numeric bounds, item counts and patterns. */
export function validate(schema: Schema, value: unknown, path = ''): string[] {
  const at = path || '<root>';
  if (schema['x-kubernetes-int-or-string']) {
    return ['integer', 'string'].includes(typeOf(value)) ? [] : [`${at}: must be integer or string`];
  }
  const kind = typeOf(value);
  if (schema.type) {
    const ok = schema.type === kind || (schema.type === 'number' && kind === 'integer');
    if (!ok) return [`${at}: expected ${schema.type}, got ${kind}`];
  }
  const out: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) out.push(`${at}: ${JSON.stringify(value)} not in enum ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(`${at}: below minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) out.push(`${at}: above maximum ${schema.maximum}`);
  }
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) {
    out.push(`${at}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => out.push(...validate(schema.items as Schema, item, `${path}[${i}]`)));
  }
  if (kind === 'object') {
    const obj = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in obj)) out.push(`${path}.${name}: Required value`);
    for (const [key, child] of Object.entries(obj)) {
      if (path === '' && key === 'metadata') continue;
      const sub = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (sub) out.push(...validate(sub, child, `${path}.${key}`));
    }
  }
  return out;
}
