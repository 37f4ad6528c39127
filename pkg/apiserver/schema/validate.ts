/**
 * Validation of a value against an OpenAPI v3 schema, as kube-apiserver does for a custom
 * resource: the kube-openapi schema checks, then embedded-resource metadata, then list-type
 * set/map uniqueness. CEL rules (x-kubernetes-validations) are not evaluated.
 */
import type { FieldError } from '../api/field-error.ts';
import type { Schema } from './types.ts';
import type { UnchangedSubtrees } from './unchanged-subtrees.ts';
import { validateOpenAPI } from './openapi-validator.ts';
import { toFieldErrors } from './openapi-errors.ts';
import { validateEmbeddedResources } from './embedded-resource.ts';
import { validateListSetsAndMaps } from './list-type.ts';

/**
 * `path` is where `value` sits in the object ("" for a whole custom resource); errors name fields
 * from there, e.g. `spec.tasks[0].alias`.
 */
export function validateAgainstSchema(value: unknown, schema: Schema, path = '', unchanged?: UnchangedSubtrees): FieldError[] {
  return [
    ...toFieldErrors(validateOpenAPI(value, schema, path, unchanged)),
    ...validateEmbeddedResources(value, schema, path || undefined, unchanged),
    ...validateListSetsAndMaps(value, schema, path || undefined, unchanged),
  ];
}

/**
 * Only the kube-openapi checks, with their field paths mounted under `fieldPath` while messages
 * name fields relative to the value (kube-apiserver validates CRD defaults this way, producing
 * e.g. `...default: Invalid value: 200:  in body should be less than or equal to 128`).
 */
export function validateValueAt(value: unknown, schema: Schema, fieldPath: string): FieldError[] {
  return toFieldErrors(validateOpenAPI(value, schema, ''), fieldPath);
}
