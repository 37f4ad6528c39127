/**
 * Access to the generated built-in OpenAPI definitions (definitions.json, produced by
 * scripts/gen-builtin-openapi.ts).
 *
 * Two views:
 *  - raw definitions, exactly as /openapi/v3 publishes them (`$ref: '#/components/schemas/<name>'`);
 *  - resolved schemas for validation, defaulting, pruning and patching, where each `$ref` is
 *    replaced by the one shared object for that definition.
 *
 * NOTE for schema walkers: resolved schemas are object graphs, not trees. Recursive definitions
 * (JSONSchemaProps.properties → JSONSchemaProps) are cycles, and shared types (ObjectMeta) are the
 * same object everywhere. Walk them guided by the data (recurse only where the value has a field),
 * or keep a visited set; never walk a schema exhaustively without one. Everything returned here is
 * deeply frozen because it is shared by every resource type.
 */
import { readFileSync } from 'node:fs';
import type { Schema } from '../../schema/types.ts';

/** A published definition: a Schema that may contain `$ref`s. */
export type RawDefinition = Omit<Schema, 'properties' | 'items' | 'additionalProperties'> & {
  $ref?: string;
  properties?: Record<string, RawDefinition>;
  items?: RawDefinition;
  additionalProperties?: RawDefinition | boolean;
};

const refPrefix = '#/components/schemas/';

let rawDefinitions: Readonly<Record<string, RawDefinition>> | undefined;
const resolved = new Map<string, Schema>();

function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value && typeof value === 'object' && !seen.has(value) && !Object.isFrozen(value)) {
    seen.add(value);
    for (const v of Object.values(value)) deepFreeze(v, seen);
    Object.freeze(value);
  }
  return value;
}

/** All built-in definitions keyed by Kubernetes name (`io.k8s.api.core.v1.Pod`), with `$ref`s. Read once, frozen. */
export function loadBuiltinDefinitions(): Readonly<Record<string, RawDefinition>> {
  // The file is static data shipped with the code, so a lazily read, immutable copy is safe to share.
  rawDefinitions ??= deepFreeze(JSON.parse(readFileSync(new URL('./definitions.json', import.meta.url), 'utf8')) as Record<string, RawDefinition>);
  return rawDefinitions;
}

/** Definition name from a `$ref` value. */
export function definitionNameOfRef(refValue: string): string {
  if (!refValue.startsWith(refPrefix)) throw new Error(`unsupported $ref ${refValue}`);
  return refValue.slice(refPrefix.length);
}

/**
 * The `$ref`-free schema of one definition. A `$ref` becomes the shared schema of the referenced
 * definition; the description written next to the `$ref` (the field's own doc) is dropped, as
 * validation and patching never need it (the raw definitions keep it for /openapi/v3).
 */
export function resolveSchema(name: string): Schema {
  const cached = resolved.get(name);
  if (cached) return cached;
  const raw = loadBuiltinDefinitions()[name];
  if (!raw) throw new Error(`unknown built-in OpenAPI definition ${name}`);
  // Register the (still empty) target before filling it, so recursive references resolve to it.
  const target: Schema = {};
  resolved.set(name, target);
  resolveDepth++;
  try {
    Object.assign(target, resolveNode(raw));
  } finally {
    resolveDepth--;
  }
  // Freeze only when the outermost resolution is done: inner definitions may still point at
  // placeholders of outer ones that are being filled in.
  if (resolveDepth === 0) deepFreeze(target);
  return target;
}

let resolveDepth = 0;

function resolveNode(node: RawDefinition): Schema {
  if (node.$ref) {
    return resolveSchema(definitionNameOfRef(node.$ref));
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value) {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, RawDefinition>).map(([k, v]) => [k, resolveNode(v)]));
    } else if ((key === 'items' || key === 'not') && value && typeof value === 'object') {
      out[key] = resolveNode(value as RawDefinition);
    } else if (key === 'additionalProperties' && value && typeof value === 'object') {
      out[key] = resolveNode(value as RawDefinition);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((v) => resolveNode(v as RawDefinition));
    } else {
      out[key] = value;
    }
  }
  return out as Schema;
}
