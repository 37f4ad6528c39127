/**
 * structuraldefaulting.ValidateDefaults: every default in a CRD schema must validate against its
 * own schema and must survive pruning unchanged. Defaults under resource metadata are forbidden
 * by schema-rules instead, so they are not checked here.
 */
import { type FieldError, fieldErrors } from '../api/field-error.ts';
import type { Schema } from './types.ts';
import { childPath, keyPath } from './field-path.ts';
import { deepCopyJson, deepEqualJson } from './json-value.ts';
import { pruneUnknownFields } from './prune.ts';
import { validateValueAt } from './validate.ts';
import { RESOURCE_META_FIELDS } from './object-meta-fields.ts';

export function validateSchemaDefaults(schema: Schema, path: string): FieldError[] {
  return walk(schema, path, true, false);
}

function walk(s: Schema, path: string, isResourceRoot: boolean, insideMeta: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const embedded = isResourceRoot || s['x-kubernetes-embedded-resource'] === true;
  if (embedded) insideMeta = false;
  if (s.default !== undefined && !insideMeta) {
    const defaultPath = childPath(path, 'default');
    const pruned = deepCopyJson(s.default);
    pruneUnknownFields(pruned, s, { isResourceRoot: s['x-kubernetes-embedded-resource'] === true });
    if (!deepEqualJson(pruned, s.default)) errs.push(fieldErrors.invalid(defaultPath, s.default, 'must not have unknown fields'));
    errs.push(...validateValueAt(s.default, s, defaultPath));
  }
  // additionalProperties is not followed: defaults are forbidden there.
  if (s.items) errs.push(...walk(s.items, childPath(path, 'items'), false, insideMeta));
  for (const [k, sub] of Object.entries(s.properties ?? {})) {
    const subInsideMeta = insideMeta || (embedded && RESOURCE_META_FIELDS.has(k));
    errs.push(...walk(sub, keyPath(childPath(path, 'properties'), k), false, subInsideMeta));
  }
  return errs;
}
