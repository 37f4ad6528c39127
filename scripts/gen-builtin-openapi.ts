/**
 * Generates pkg/apiserver/builtin/openapi/definitions.json: the OpenAPI v3 component schemas of
 * the built-in kinds this API server serves, named and shaped like kube-apiserver's
 * /openapi/v3 documents (`io.k8s.api.core.v1.Pod`, `$ref: '#/components/schemas/...'`).
 *
 * Source: @kubernetes/client-node's generated models (one class per Kubernetes definition):
 * `attributeTypeMap` gives property names and types, the `.d.ts` JSDoc gives descriptions and
 * whether a property is required. What client-node drops (merge keys, list types, Quantity,
 * int-or-string) comes from the hand-written tables in pkg/apiserver/builtin/openapi/extensions.ts.
 *
 * Usage: node scripts/gen-builtin-openapi.ts   (a unit test fails when the committed file is stale)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as clientNode from '@kubernetes/client-node';
import { definitionNameOf, intOrStringDefinition, quantityDefinition, timeDefinition, topLevelKinds } from '../pkg/apiserver/builtin/openapi/definition-names.ts';
import { atomicStructs, fieldExtensions, handWrittenDefinitions, quantityFields, untypedFieldDefinitions } from '../pkg/apiserver/builtin/openapi/extensions.ts';

/** A definition as it appears in the document: a Schema that may contain `$ref`s. */
export type RawSchema = { [key: string]: unknown };

interface AttributeType {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

interface ModelClass {
  attributeTypeMap: AttributeType[];
}

interface ClassDocs {
  description: string;
  /** By client-node property name (not the JSON name). */
  properties: Map<string, { description: string; required: boolean }>;
}

const refPrefix = '#/components/schemas/';
const modelsDir = join(dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node')), 'gen', 'models');

export const definitionsPath = fileURLToPath(new URL('../pkg/apiserver/builtin/openapi/definitions.json', import.meta.url));

function modelClass(className: string): ModelClass {
  const cls = (clientNode as unknown as Record<string, ModelClass | undefined>)[className];
  if (!cls?.attributeTypeMap) throw new Error(`@kubernetes/client-node has no model class ${className}`);
  return cls;
}

/** Undo openapi-generator's escaping inside JSDoc comments. */
function unescapeDoc(text: string): string {
  return text.replace(/\*_\//g, '*/').replace(/\/_\*/g, '/*').replace(/\\(["'\\])/g, '$1');
}

/** Reads descriptions and required-ness from the model's `.d.ts` (`'field': T` vs `'field'?: T`). */
function readClassDocs(className: string): ClassDocs {
  const lines = readFileSync(join(modelsDir, `${className}.d.ts`), 'utf8').split('\n');
  const docs: ClassDocs = { description: '', properties: new Map() };
  let comment: string[] | undefined;
  let pending = '';
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('/**')) {
      comment = [];
      continue;
    }
    if (comment) {
      if (trimmed.startsWith('*/')) {
        pending = unescapeDoc(comment.join(' ').trim());
        comment = undefined;
      } else {
        comment.push(trimmed.replace(/^\* ?/, ''));
      }
      continue;
    }
    if (trimmed.startsWith('export declare class')) {
      docs.description = pending;
    } else {
      const prop = /^'([^']+)'(\?)?:/.exec(trimmed);
      if (prop) docs.properties.set(prop[1], { description: pending, required: prop[2] !== '?' });
    }
    if (trimmed) pending = '';
  }
  return docs;
}

/**
 * openapi-generator drops the description next to a `$ref`; Kubernetes' spec documents every
 * `metadata` field with the same conventions text, which `kubectl explain` prints.
 */
const standardMetadataDescriptions: Record<string, string> = {
  [`${refPrefix}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`]:
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  [`${refPrefix}io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta`]:
    'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

function ref(definition: string): RawSchema {
  return { $ref: refPrefix + definition };
}

/**
 * Converts one client-node type expression to a schema, recording referenced classes in `queue`.
 * `untyped` names the definition an `any` stands for at this property.
 */
function typeSchema(type: string, format: string, ctx: { quantity: boolean; untyped?: string; queue: string[] }): RawSchema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { items: typeSchema(array[1], format, ctx), type: 'array' };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { additionalProperties: typeSchema(map[1], format, ctx), type: 'object' };
  switch (type) {
    case 'string':
      if (ctx.quantity) return ref(quantityDefinition);
      return format ? { format, type: 'string' } : { type: 'string' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { format, type: 'integer' };
      return format ? { format, type: 'number' } : { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return ref(timeDefinition);
    case 'IntOrString':
      return ref(intOrStringDefinition);
    case 'any':
      if (!ctx.untyped) throw new Error('untyped client-node property without a mapping in untypedFieldDefinitions');
      return ref(ctx.untyped);
    default:
      if (!/^[A-Z]\w+$/.test(type)) throw new Error(`unsupported client-node type expression: ${type}`);
      ctx.queue.push(type);
      return ref(definitionNameOf(type));
  }
}

function buildDefinition(className: string, definition: string, queue: string[]): RawSchema {
  const docs = readClassDocs(className);
  const properties: Record<string, RawSchema> = {};
  const required: string[] = [];
  for (const attr of modelClass(className).attributeTypeMap) {
    const json = attr.baseName;
    const doc = docs.properties.get(attr.name);
    const schema = typeSchema(attr.type, attr.format, {
      quantity: quantityFields[definition]?.includes(json) ?? false,
      untyped: untypedFieldDefinitions[definition]?.[json],
      queue,
    });
    const description = doc?.description || standardMetadataDescriptions[String(schema.$ref)];
    if (description) schema.description = description;
    Object.assign(schema, fieldExtensions[definition]?.[json]);
    properties[json] = schema;
    if (doc?.required) required.push(json);
  }
  const result: RawSchema = { type: 'object', properties };
  if (docs.description) result.description = docs.description;
  if (required.length) result.required = required;
  if (atomicStructs.includes(definition)) result['x-kubernetes-map-type'] = 'atomic';
  return result;
}

function checkTablesAreUsed(definitions: Record<string, RawSchema>): void {
  // A typo in a hand-written table would otherwise silently drop a merge key.
  const tables: Array<[string, Record<string, unknown>]> = [['fieldExtensions', fieldExtensions], ['quantityFields', quantityFields], ['untypedFieldDefinitions', untypedFieldDefinitions]];
  for (const [tableName, table] of tables) {
    for (const [definition, fields] of Object.entries(table)) {
      const props = definitions[definition]?.properties as Record<string, unknown> | undefined;
      if (!props) throw new Error(`${tableName}: unknown definition ${definition}`);
      const names = Array.isArray(fields) ? fields : Object.keys(fields as object);
      for (const f of names) if (!(f in props)) throw new Error(`${tableName}: ${definition} has no field ${f}`);
    }
  }
  for (const d of atomicStructs) if (!definitions[d]) throw new Error(`atomicStructs: unknown definition ${d}`);
}

/** Every definition reachable from the served kinds, keyed by Kubernetes definition name. */
export function generateBuiltinDefinitions(): Record<string, RawSchema> {
  const definitions: Record<string, RawSchema> = {};
  for (const [name, schema] of Object.entries(handWrittenDefinitions)) definitions[name] = structuredClone(schema) as RawSchema;
  const queue = topLevelKinds.map((k) => k.className);
  const done = new Set<string>();
  while (queue.length) {
    const className = queue.shift()!;
    if (done.has(className) || className === 'V1MicroTime') continue;
    done.add(className);
    const definition = definitionNameOf(className);
    definitions[definition] = buildDefinition(className, definition, queue);
  }
  for (const kind of topLevelKinds) {
    definitions[definitionNameOf(kind.className)]['x-kubernetes-group-version-kind'] = kind.gvks;
  }
  checkTablesAreUsed(definitions);
  return definitions;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, sortKeysDeep(obj[k])]));
  }
  return value;
}

/** The exact file content: keys sorted at every level, two-space indent, trailing newline. */
export function renderDefinitionsJson(definitions: Record<string, RawSchema>): string {
  return `${JSON.stringify(sortKeysDeep(definitions), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const definitions = generateBuiltinDefinitions();
  writeFileSync(definitionsPath, renderDefinitionsJson(definitions));
  console.log(`wrote ${Object.keys(definitions).length} definitions to ${definitionsPath}`);
}
