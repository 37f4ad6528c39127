/**
 * What kube-apiserver checks on a CRD's openAPIV3Schema before accepting the CRD: structural
 * invariants first; only when those hold, the defaults; then the OpenAPI keyword rules.
 * `path` is where the schema sits, e.g. `spec.versions[0].schema.openAPIV3Schema`.
 */
import type { FieldError } from '../api/field-error.ts';
import type { Schema } from './types.ts';
import { validateStructuralInvariants } from './structural-invariants.ts';
import { validateSchemaDefaults } from './default-validation.ts';
import { validateSchemaRules } from './schema-rules.ts';

export function validateStructuralSchema(schema: Schema, path: string): FieldError[] {
  const structural = validateStructuralInvariants(schema, path);
  const defaults = structural.length === 0 ? validateSchemaDefaults(schema, path) : [];
  return [...structural, ...defaults, ...validateSchemaRules(schema, path)];
}
