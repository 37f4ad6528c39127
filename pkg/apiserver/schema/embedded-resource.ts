/**
 * Checks on objects nested under `x-kubernetes-embedded-resource: true` (apiextensions'
 * schema/objectmeta.Validate): apiVersion and kind are required and well-formed, and metadata is
 * validated like any object's, with path-segment names.
 */
import { type FieldError, fieldErrors } from '../api/field-error.ts';
import type { ObjectMeta } from '../api/object.ts';
import type { Schema } from './types.ts';
import type { UnchangedSubtrees } from './unchanged-subtrees.ts';
import { isPlainObject } from './json-value.ts';
import { childPath, indexPath, keyPath } from './field-path.ts';
import { isDNS1035Label, validatePathSegmentName } from '../validation/name-validators.ts';
import { validateObjectMeta } from '../validation/object-meta.ts';

/** Walks `value`; the root itself is not treated as embedded (its metadata is validated by the caller). */
export function validateEmbeddedResources(value: unknown, schema: Schema | undefined, path?: string, unchanged?: UnchangedSubtrees): FieldError[] {
  return walk(value, schema, path, true, unchanged);
}

function walk(value: unknown, schema: Schema | undefined, path: string | undefined, isRoot: boolean, unchanged: UnchangedSubtrees | undefined): FieldError[] {
  if (!schema || unchanged?.has(value)) return [];
  const errs: FieldError[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => errs.push(...walk(v, schema.items, indexPath(path, i), false, unchanged)));
    return errs;
  }
  if (!isPlainObject(value)) return errs;
  if (!isRoot && schema['x-kubernetes-embedded-resource']) errs.push(...validateEmbeddedResource(value, path));
  for (const [k, v] of Object.entries(value)) {
    const prop = schema.properties?.[k];
    if (prop) errs.push(...walk(v, prop, childPath(path, k), false, unchanged));
    else if (isPlainObject(schema.additionalProperties)) errs.push(...walk(v, schema.additionalProperties as Schema, keyPath(path, k), false, unchanged));
  }
  return errs;
}

function validateEmbeddedResource(x: Record<string, unknown>, path: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!Object.hasOwn(x, 'apiVersion')) errs.push(fieldErrors.required(childPath(path, 'apiVersion'), ''));
  if (!Object.hasOwn(x, 'kind')) errs.push(fieldErrors.required(childPath(path, 'kind'), ''));
  for (const [k, v] of Object.entries(x)) {
    if (k === 'apiVersion') errs.push(...validateApiVersion(v, childPath(path, k)));
    else if (k === 'kind') errs.push(...validateKind(v, childPath(path, k)));
    else if (k === 'metadata' && isPlainObject(v)) {
      const meta = { ...(v as ObjectMeta) };
      if (!meta.name) meta.name = 'fakename'; // apiextensions sets a placeholder: embedded names are optional
      errs.push(...validateObjectMeta(meta, { namespaced: Boolean(meta.namespace), nameValidator: validatePathSegmentName, path: childPath(path, 'metadata') }));
    }
  }
  return errs;
}

function validateApiVersion(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'string') return [fieldErrors.invalid(path, v, 'must be a string')];
  if (v.length === 0) return [fieldErrors.invalid(path, v, 'must not be empty')];
  if (v.split('/').length > 2) return [fieldErrors.invalid(path, v, `unexpected GroupVersion string: ${v}`)];
  return [];
}

function validateKind(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'string') return [fieldErrors.invalid(path, v, 'must be a string')];
  if (v.length === 0) return [fieldErrors.invalid(path, v, 'must not be empty')];
  const errs = isDNS1035Label(v.toLowerCase());
  return errs.length > 0 ? [fieldErrors.invalid(path, v, `may have mixed case, but should otherwise match: ${errs.join(',')}`)] : [];
}
