import type { Schema } from '../schema/types.ts';

/**
 * A schema as it appears in an OpenAPI v3 document: like `Schema`, but `$ref`s are allowed
 * (`#/components/schemas/<name>`). Kept as plain JSON because documents are serialised as they are.
 */
export type OpenApiSchema = { [key: string]: unknown };

export const COMPONENTS_PREFIX = '#/components/schemas/';

export function refTo(name: string): OpenApiSchema {
  return { $ref: COMPONENTS_PREFIX + name };
}

/**
 * Copies a `$ref`-free Schema into plain JSON. Built-in schemas may be recursive (recursion is
 * expressed by shared objects); a cycle is cut with an open object so the document stays finite.
 */
export function schemaToJson(schema: Schema): OpenApiSchema {
  const onPath = new Set<object>();
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (value === null || typeof value !== 'object') return value;
    if (onPath.has(value)) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    onPath.add(value);
    const out: OpenApiSchema = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = copy(v);
    onPath.delete(value);
    return out;
  };
  return copy(schema) as OpenApiSchema;
}

/** Names of every component a schema (or document fragment) refers to. */
export function refsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) refsIn(v, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENTS_PREFIX)) into.add(v.slice(COMPONENTS_PREFIX.length));
      else refsIn(v, into);
    }
  }
  return into;
}

/** The named definitions plus everything they reach through `$ref`, as one components map. */
export function reachableDefinitions(roots: Iterable<string>, definitions: Record<string, OpenApiSchema>): Record<string, OpenApiSchema> {
  const out: Record<string, OpenApiSchema> = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (name in out || !(name in definitions)) continue;
    out[name] = definitions[name];
    for (const ref of refsIn(definitions[name])) queue.push(ref);
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}
