import { apiErrors } from '../api/errors.ts';
import type { FieldError } from '../api/field-error.ts';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import { applySchemaDefaults } from '../schema/defaults.ts';
import { findUnknownFields, pruneUnknownFields } from '../schema/prune.ts';
import { validateAgainstSchema } from '../schema/validate.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.ts';
import type { WriteOptions } from './write-options.ts';

/**
 * The decode-time half of admission: fields the schema does not know. Custom resources prune them
 * (they are never stored); built-in kinds drop them as Go's decoder would. Either way the
 * client learns about them according to `fieldValidation`: Strict → 400, Warn → Warning header.
 */
export function handleUnknownFields(rt: ResourceType, obj: KubeObject, opts: WriteOptions): void {
  const unknown = opts.fieldValidation === 'Ignore' ? [] : findUnknownFields(obj, rt.schema);
  if (unknown.length > 0) {
    if (opts.fieldValidation === 'Strict') {
      const list = unknown.map((p) => `unknown field ${JSON.stringify(p)}`).join(', ');
      throw apiErrors.badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${list}`);
    }
    for (const p of unknown) opts.warnings.push(`unknown field ${JSON.stringify(p)}`);
  }
  pruneUnknownFields(obj, rt.schema);
}

/** Schema defaults (CRD `default:`) then the kind's own SetDefaults. */
export function applyDefaults(rt: ResourceType, obj: KubeObject): void {
  applySchemaDefaults(obj, rt.schema);
  rt.strategy.applyDefaults?.(obj);
}

function reject(rt: ResourceType, obj: KubeObject, errs: FieldError[]): void {
  if (errs.length > 0) throw apiErrors.invalid({ group: rt.group, resource: rt.resource, kind: rt.kind }, obj.metadata.name ?? '', errs);
}

/** Custom resources are validated against their OpenAPI schema; built-ins by their strategy. */
function schemaErrors(rt: ResourceType, obj: KubeObject): FieldError[] {
  if (!rt.prunesUnknownFields) return [];
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
  const { metadata: _ms, apiVersion: _as, kind: _ks, ...restSchemaProps } = rt.schema.properties ?? {};
  return validateAgainstSchema(rest, { ...rt.schema, properties: restSchemaProps }, '');
}

export function validateCreate(rt: ResourceType, obj: KubeObject): void {
  const errs = [
    ...validateObjectMeta(obj.metadata, { namespaced: rt.namespaced, nameValidator: rt.prunesUnknownFields ? 'path-segment' : 'dns1123-subdomain' }),
    ...schemaErrors(rt, obj),
    ...(rt.strategy.validate?.(obj) ?? []),
  ];
  reject(rt, obj, errs);
}

export function validateUpdate(rt: ResourceType, obj: KubeObject, old: KubeObject): void {
  const errs = [
    ...validateObjectMeta(obj.metadata, { namespaced: rt.namespaced, nameValidator: rt.prunesUnknownFields ? 'path-segment' : 'dns1123-subdomain' }),
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...schemaErrors(rt, obj),
    ...(rt.strategy.validateUpdate?.(obj, old) ?? rt.strategy.validate?.(obj) ?? []),
  ];
  reject(rt, obj, errs);
}
