/**
 * The invariants of a structural schema (apiextensions' schema.ValidateStructural): every
 * specified node has a type (unless int-or-string or preserve-unknown-fields), value validations
 * under allOf/anyOf/oneOf/not carry no types or Kubernetes extensions and only constrain fields
 * the structure declares, root metadata only restricts name/generateName, and embedded
 * resources are objects.
 */
import { type FieldError, fieldErrors } from '../api/field-error.ts';
import type { Schema } from './types.ts';
import { childPath, indexPath, keyPath } from './field-path.ts';
import { compilePattern } from './openapi-validator.ts';
import { isPlainObject } from './json-value.ts';

type Level = 'root' | 'item' | 'field';

const emptyTypeDetail: Record<Level, string> = {
  root: 'must not be empty at the root',
  item: 'must not be empty for specified array items',
  field: 'must not be empty for specified object fields',
};

export function validateStructuralInvariants(s: Schema, path: string): FieldError[] {
  const errs = [...invariants(s, 'root', path), ...completeness(s, path)];
  // Kubernetes sorts these: schema maps iterate in random order in Go.
  return errs.sort((a, b) => (a.toString() < b.toString() ? -1 : a.toString() > b.toString() ? 1 : 0));
}

function invariants(s: Schema | undefined, lvl: Level, path: string): FieldError[] {
  if (!s) return [];
  const errs: FieldError[] = [];
  if (s.type === 'array' && !s.items) errs.push(fieldErrors.required(childPath(path, 'items'), 'must be specified'));
  errs.push(...invariants(s.items, 'item', childPath(path, 'items')));
  for (const [k, v] of Object.entries(s.properties ?? {})) errs.push(...invariants(v, 'field', keyPath(childPath(path, 'properties'), k)));
  if (s.additionalProperties !== undefined) {
    if (lvl === 'root') errs.push(fieldErrors.forbidden(childPath(path, 'additionalProperties'), 'must not be used at the root'));
    if (isPlainObject(s.additionalProperties)) errs.push(...invariants(s.additionalProperties as Schema, 'field', childPath(path, 'additionalProperties')));
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) {
    errs.push(fieldErrors.invalid(childPath(path, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (intOrString && embedded) {
    errs.push(fieldErrors.invalid(childPath(path, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  errs.push(...valueValidation(s, isIntOrStringAnyOf(s.anyOf), isIntOrStringAnyOf(s.allOf?.[0]?.anyOf), path));

  if (embedded && s.type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    errs.push(s.type ? fieldErrors.invalid(childPath(path, 'type'), s.type, detail) : fieldErrors.required(childPath(path, 'type'), detail));
  } else if (!s.type && !intOrString && !preserve) {
    errs.push(fieldErrors.required(childPath(path, 'type'), emptyTypeDetail[lvl]));
  }
  if (embedded && s.additionalProperties !== undefined) {
    errs.push(fieldErrors.forbidden(childPath(path, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === 'root' && s.type && s.type !== 'object') errs.push(fieldErrors.invalid(childPath(path, 'type'), s.type, 'must be object at the root'));

  const checkMetadata = lvl === 'root' || embedded;
  const props = s.properties ?? {};
  for (const meta of ['kind', 'apiVersion']) {
    if (checkMetadata && props[meta] && props[meta].type !== 'string') {
      errs.push(fieldErrors.invalid(childPath(keyPath(childPath(path, 'properties'), meta), 'type'), props[meta].type ?? '', 'must be string'));
    }
  }
  if (props.metadata) errs.push(...metadataInvariants(props.metadata, checkMetadata, lvl, keyPath(childPath(path, 'properties'), 'metadata')));
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errs.push(fieldErrors.required(childPath(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

/** Schema keys allowed on root metadata; apiextensions compares the rest against an empty schema. */
const allowedRootMetadataKeys = new Set(['type', 'default', 'description', 'title', 'properties']);

function metadataInvariants(s: Schema, checkMetadata: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (checkMetadata && s.type !== 'object') errs.push(fieldErrors.invalid(childPath(path, 'type'), s.type ?? '', 'must be object'));
  if (lvl === 'root') {
    const propNames = Object.keys(s.properties ?? {});
    const onlyNames = propNames.every((p) => p === 'name' || p === 'generateName');
    const otherKeys = Object.keys(s).filter((k) => !allowedRootMetadataKeys.has(k) && (s as Record<string, unknown>)[k] !== undefined);
    if (!onlyNames || otherKeys.length > 0) {
      errs.push(fieldErrors.forbidden(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
    }
  }
  return errs;
}

/** The two int-or-string shapes apiextensions tolerates: anyOf [{type: integer}, {type: string}]. */
function isIntOrStringAnyOf(anyOf: Schema[] | undefined): boolean {
  if (!anyOf || anyOf.length !== 2) return false;
  const only = (x: Schema, t: string) => Object.keys(x).length === 1 && x.type === t;
  return only(anyOf[0], 'integer') && only(anyOf[1], 'string');
}

function valueValidation(v: Schema, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf) v.anyOf?.forEach((x, i) => errs.push(...nested(x, false, false, indexPath(childPath(path, 'anyOf'), i))));
  v.allOf?.forEach((x, i) => errs.push(...nested(x, skipFirstAllOfAnyOf && i === 0, false, indexPath(childPath(path, 'allOf'), i))));
  v.oneOf?.forEach((x, i) => errs.push(...nested(x, false, false, indexPath(childPath(path, 'oneOf'), i))));
  if (v.not) errs.push(...nested(v.not, false, false, childPath(path, 'not')));
  if (v.pattern) {
    const re = compilePattern(v.pattern);
    if (re instanceof Error) {
      errs.push(fieldErrors.invalid(childPath(path, 'pattern'), v.pattern, `must be a valid regular expression, but isn't: ${re.message}`));
    }
  }
  return errs;
}

/** A schema under a logical junctor: value validation only. */
function nested(v: Schema, skipAnyOf: boolean, skipAllOfAnyOf: boolean, path: string): FieldError[] {
  const errs = valueValidation(v, skipAnyOf, skipAllOfAnyOf, path);
  if (v.items) errs.push(...nested(v.items, false, false, childPath(path, 'items')));
  for (const [k, fld] of Object.entries(v.properties ?? {})) errs.push(...nested(fld, false, false, keyPath(childPath(path, 'properties'), k)));
  const forbid = (key: string, detail: string) => errs.push(fieldErrors.forbidden(childPath(path, key), detail));
  if (v.type) forbid('type', 'must be empty to be structural');
  if (v.additionalProperties !== undefined) forbid('additionalProperties', 'must be undefined to be structural');
  if (v.default !== undefined) forbid('default', 'must be undefined to be structural');
  if (v.title) forbid('title', 'must be empty to be structural');
  if (v.description) forbid('description', 'must be empty to be structural');
  if (v.nullable) forbid('nullable', 'must be false to be structural');
  if (v.externalDocs) forbid('externalDocs', 'must be undefined to be structural');
  if (v['x-kubernetes-preserve-unknown-fields']) forbid('x-kubernetes-preserve-unknown-fields', 'must be false to be structural');
  if (v['x-kubernetes-embedded-resource']) forbid('x-kubernetes-embedded-resource', 'must be false to be structural');
  if (v['x-kubernetes-int-or-string']) forbid('x-kubernetes-int-or-string', 'must be false to be structural');
  if (v['x-kubernetes-list-map-keys']?.length) forbid('x-kubernetes-list-map-keys', 'must be empty to be structural');
  if (v['x-kubernetes-list-type'] !== undefined) forbid('x-kubernetes-list-type', 'must be undefined to be structural');
  if (v['x-kubernetes-map-type'] !== undefined) forbid('x-kubernetes-map-type', 'must be undefined to be structural');
  if (v['x-kubernetes-validations']?.length) forbid('x-kubernetes-validations', 'must be empty to be structural');
  if (v.properties?.metadata) errs.push(fieldErrors.forbidden(keyPath(childPath(path, 'properties'), 'metadata'), 'must not be specified in a nested context'));
  return errs;
}

/** Every field or items a value validation talks about must exist in the structure next to it. */
function completeness(s: Schema, path: string): FieldError[] {
  const errs = valueValidationCompleteness(s, s, path, path);
  if (s.items) errs.push(...completeness(s.items, childPath(path, 'items')));
  for (const [k, v] of Object.entries(s.properties ?? {})) errs.push(...completeness(v, keyPath(childPath(path, 'properties'), k)));
  if (isPlainObject(s.additionalProperties)) errs.push(...completeness(s.additionalProperties as Schema, childPath(path, 'additionalProperties')));
  return errs;
}

function valueValidationCompleteness(v: Schema, s: Schema, sPath: string, vPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (v.not) errs.push(...nestedCompleteness(v.not, s, sPath, childPath(vPath, 'not')));
  v.allOf?.forEach((x, i) => errs.push(...nestedCompleteness(x, s, sPath, indexPath(childPath(vPath, 'allOf'), i))));
  v.anyOf?.forEach((x, i) => errs.push(...nestedCompleteness(x, s, sPath, indexPath(childPath(vPath, 'anyOf'), i))));
  v.oneOf?.forEach((x, i) => errs.push(...nestedCompleteness(x, s, sPath, indexPath(childPath(vPath, 'oneOf'), i))));
  return errs;
}

function nestedCompleteness(v: Schema, s: Schema | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [fieldErrors.required(sPath, `because it is defined in ${vPath}`)];
  const errs = valueValidationCompleteness(v, s, sPath, vPath);
  if (v.items) errs.push(...nestedCompleteness(v.items, s.items, childPath(sPath, 'items'), childPath(vPath, 'items')));
  for (const [k, vFld] of Object.entries(v.properties ?? {})) {
    const sFld = s.properties?.[k];
    const sp = keyPath(childPath(sPath, 'properties'), k);
    const vp = keyPath(childPath(vPath, 'properties'), k);
    if (!sFld) errs.push(fieldErrors.required(sp, `because it is defined in ${vp}`));
    else errs.push(...nestedCompleteness(vFld, sFld, sp, vp));
  }
  return errs;
}
