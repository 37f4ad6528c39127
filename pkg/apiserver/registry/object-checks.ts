import { apiErrors } from '../api/errors.ts';
import type { FieldError } from '../api/field-error.ts';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import { applySchemaDefaults } from '../schema/defaults.ts';
import { pruneNonNullableNullsWithoutDefaults } from '../schema/null-pruning.ts';
import { pruneUnknownFields, unknownFieldMessage } from '../schema/prune.ts';
import { findTypeMismatch } from '../schema/type-check.ts';
import type { UnchangedSubtrees } from '../schema/unchanged-subtrees.ts';
import { validateAgainstSchema } from '../schema/validate.ts';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate, validatePathSegmentName, type NameValidator } from '../validation/index.ts';
import type { WriteOptions } from './write-options.ts';

/**
 * The decode-time half of admission: fields the schema does not know. Custom resources prune them
 * (they are never stored); built-in kinds drop them as Go's decoder would. Either way the
 * client learns about them according to `fieldValidation`: Strict → 400, Warn → Warning header.
 * `unchanged` subtrees (shared with a stored object checked under this schema) are skipped.
 */
export function handleUnknownFields(rt: ResourceType, obj: KubeObject, opts: WriteOptions, unchanged?: UnchangedSubtrees): void {
  rejectUndecodable(rt, obj, unchanged);
  const unknown = pruneUnknownFields(obj, rt.schema, { preserveUnspecifiedObjects: !rt.prunesUnknownFields, unchanged });
  if (unknown.length === 0 || opts.fieldValidation === 'Ignore') return;
  if (opts.fieldValidation === 'Strict') {
    const list = unknown.map(unknownFieldMessage).join(', ');
    throw apiErrors.badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${list}`);
  }
  for (const p of unknown) opts.warnings.push(unknownFieldMessage(p));
}

/**
 * Built-in kinds are Go structs in Kubernetes: a body whose values do not fit their types is a
 * decode error (400), not something to store. (Custom resources get 422s from schema validation.)
 */
function rejectUndecodable(rt: ResourceType, obj: KubeObject, unchanged: UnchangedSubtrees | undefined): void {
  if (rt.prunesUnknownFields) return;
  const m = findTypeMismatch(obj, rt.schema, '', unchanged);
  if (!m) return;
  throw apiErrors.badRequest(
    `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: json: cannot unmarshal ${m.found} into Go struct field ${rt.kind}.${m.field} of type ${m.expected}`,
  );
}

/** RBAC objects may have any name that fits in a URL segment (e.g. system:controller:x). */
function nameValidatorFor(rt: ResourceType): NameValidator {
  return rt.group === 'rbac.authorization.k8s.io' ? validatePathSegmentName : nameIsDNSSubdomain;
}

/**
 * Schema defaults (CRD `default:`) then the kind's own SetDefaults. Only custom resources have
 * schema defaults: built-in schemas carry none (their defaults are the strategies'), so they skip
 * the walk on every write. `unchanged` subtrees were defaulted when stored and are left alone.
 */
export function applyDefaults(rt: ResourceType, obj: KubeObject, unchanged?: UnchangedSubtrees): void {
  if (rt.prunesUnknownFields) {
    // Kubernetes' order for structural schemas: prune unknown fields (done at decode), drop nulls
    // the schema does not allow and that no default replaces, then default.
    pruneNonNullableNullsWithoutDefaults(obj, rt.schema, unchanged);
    applySchemaDefaults(obj, rt.schema, unchanged);
  }
  rt.strategy.applyDefaults?.(obj);
}

function reject(rt: ResourceType, obj: KubeObject, errs: FieldError[]): void {
  if (errs.length > 0) throw apiErrors.invalid({ group: rt.group, resource: rt.resource, kind: rt.kind }, obj.metadata.name ?? '', errs);
}

/** Custom resources are validated against their OpenAPI schema; built-ins by their strategy. */
function schemaErrors(rt: ResourceType, obj: KubeObject, unchanged?: UnchangedSubtrees): FieldError[] {
  if (!rt.prunesUnknownFields) return [];
  return validateAgainstSchema(obj, rt.schema, '', unchanged);
}

export function validateCreate(rt: ResourceType, obj: KubeObject): void {
  const errs = [
    ...validateObjectMeta(obj.metadata, { namespaced: rt.namespaced, nameValidator: nameValidatorFor(rt) }),
    ...schemaErrors(rt, obj),
    ...(rt.strategy.validate?.(obj) ?? []),
  ];
  reject(rt, obj, errs);
}

export interface UpdateChecks {
  /**
   * Subtrees of `obj` that are `old`'s own, and `old` passed this very schema in full when it was
   * stored (only given then): the schema walk skips them, it would find nothing. The kind's own
   * checks still see everything.
   */
  unchanged?: UnchangedSubtrees;
  /** A write to the status subresource: checked by the kind's status strategy if it has one. */
  statusWrite?: boolean;
}

export function validateUpdate(rt: ResourceType, obj: KubeObject, old: KubeObject, checks: UpdateChecks = {}): void {
  const { unchanged, statusWrite = false } = checks;
  // A status write keeps the stored metadata: when `old` was checked in full, the metadata checks
  // would only repeat themselves.
  const metadataChecked = statusWrite && unchanged !== undefined;
  const strategy = rt.strategy;
  const errs = [
    ...(metadataChecked ? [] : validateObjectMeta(obj.metadata, { namespaced: rt.namespaced, nameValidator: nameValidatorFor(rt) })),
    ...(metadataChecked ? [] : validateObjectMetaUpdate(obj.metadata, old.metadata)),
    ...schemaErrors(rt, obj, unchanged),
    ...((statusWrite ? strategy.validateStatusUpdate?.(obj, old) : undefined) ?? strategy.validateUpdate?.(obj, old) ?? strategy.validate?.(obj) ?? []),
  ];
  reject(rt, obj, errs);
}
