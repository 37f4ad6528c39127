/**
 * An OpenAPI v3 schema as Kubernetes uses it: the `JSONSchemaProps` of a CRD, or a built-in kind's
 * schema from the published OpenAPI document. Validation, defaulting, pruning, strategic merge
 * patch and server-side apply all walk this one shape, so a CRD and a built-in kind behave alike.
 *
 * `$ref` is never present in a schema handed to those walkers: built-in schemas are resolved
 * when they are loaded (recursion is expressed by sharing the same object).
 */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  multipleOf?: number;
  uniqueItems?: boolean;
  anyOf?: Schema[];
  allOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  title?: string;
  example?: unknown;
  externalDocs?: { description?: string; url?: string };
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** Strategic-merge-patch metadata (built-in kinds only). */
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-validations'?: unknown[];
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
}
