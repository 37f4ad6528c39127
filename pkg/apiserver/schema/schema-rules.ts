/**
 * The OpenAPI-level rules kube-apiserver applies to a CRD schema besides structurality
 * (apiextensions' ValidateCustomResourceDefinitionOpenAPISchema): supported types and keywords,
 * where defaults may appear, list-type/map-type consistency and list-map keys. CEL rules in
 * x-kubernetes-validations are not compiled.
 */
import { type FieldError, fieldErrors } from '../api/field-error.ts';
import type { Schema } from './types.ts';
import { childPath, indexPath, keyPath } from './field-path.ts';
import { isPlainObject } from './json-value.ts';
import { RESOURCE_META_FIELDS } from './object-meta-fields.ts';
import { goStringSlice, invalidRendered } from '../validation/go-render.ts';

const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

const unsupportedKeywords: Array<[string, string]> = [
  ['id', 'id is not supported'],
  ['additionalItems', 'additionalItems is not supported'],
  ['patternProperties', 'patternProperties is not supported'],
  ['definitions', 'definitions is not supported'],
  ['dependencies', 'dependencies is not supported'],
  ['$ref', '$ref is not supported'],
];

interface Context {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
}

export function validateSchemaRules(schema: Schema, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (schema.nullable) errs.push(fieldErrors.forbidden(childPath(path, 'nullable'), 'nullable cannot be true at the root'));
  errs.push(...rules(schema, path, { allowDefaults: true, disallowDefaultsReason: '', insideResourceMeta: false }, true));
  return errs;
}

function rules(s: Schema | undefined, path: string, ctx: Context, isRoot: boolean): FieldError[] {
  if (!s) return [];
  const raw = s as Record<string, unknown>;
  const errs: FieldError[] = [];
  const type = raw.type as string | undefined;
  if (type && !OPENAPI_V3_TYPES.includes(type)) errs.push(fieldErrors.notSupported(childPath(path, 'type'), type, OPENAPI_V3_TYPES));
  if (s.default !== undefined && !ctx.allowDefaults) {
    errs.push(fieldErrors.forbidden(childPath(path, 'default'), `must not be set${ctx.disallowDefaultsReason ? ` ${ctx.disallowDefaultsReason}` : ''}`));
  }
  for (const [key, detail] of unsupportedKeywords) if (raw[key] !== undefined) errs.push(fieldErrors.forbidden(childPath(path, key), detail));
  if (type === 'null') errs.push(fieldErrors.forbidden(childPath(path, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(raw.items)) errs.push(fieldErrors.forbidden(childPath(path, 'items'), 'items must be a schema object and not an array'));
  if (ctx.insideResourceMeta && s['x-kubernetes-embedded-resource']) {
    errs.push(fieldErrors.forbidden(childPath(path, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  }
  if (s.uniqueItems) errs.push(fieldErrors.forbidden(childPath(path, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));

  if (s.additionalProperties !== undefined) {
    if (Object.keys(s.properties ?? {}).length > 0 && (s.additionalProperties === false || isPlainObject(s.additionalProperties))) {
      errs.push(fieldErrors.forbidden(childPath(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
    if (isPlainObject(s.additionalProperties)) {
      const sub = ctx.insideResourceMeta ? forbidDefaults(ctx, 'inside additionalProperties applying to object metadata') : ctx;
      errs.push(...rules(s.additionalProperties as Schema, childPath(path, 'additionalProperties'), sub, false));
    }
  }
  for (const [prop, sub] of Object.entries(s.properties ?? {})) {
    let subCtx = ctx;
    if ((isRoot || s['x-kubernetes-embedded-resource']) && RESOURCE_META_FIELDS.has(prop)) {
      subCtx = { ...subCtx, insideResourceMeta: true };
      if (isRoot) subCtx = forbidDefaults(subCtx, `in top-level ${prop}`);
    }
    errs.push(...rules(sub, keyPath(childPath(path, 'properties'), prop), subCtx, false));
  }
  errs.push(...rules(s.not, childPath(path, 'not'), ctx, false));
  s.allOf?.forEach((x, i) => errs.push(...rules(x, indexPath(childPath(path, 'allOf'), i), ctx, false)));
  s.oneOf?.forEach((x, i) => errs.push(...rules(x, indexPath(childPath(path, 'oneOf'), i), ctx, false)));
  s.anyOf?.forEach((x, i) => errs.push(...rules(x, indexPath(childPath(path, 'anyOf'), i), ctx, false)));
  if (s.items && !Array.isArray(s.items)) errs.push(...rules(s.items, childPath(path, 'items'), ctx, false));

  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errs.push(fieldErrors.invalid(childPath(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  }
  errs.push(...mapTypeRules(s, path));
  errs.push(...listTypeRules(s, path));
  return errs;
}

function forbidDefaults(ctx: Context, reason: string): Context {
  return { ...ctx, allowDefaults: false, disallowDefaultsReason: reason };
}

function mapTypeRules(s: Schema, path: string): FieldError[] {
  const mapType = s['x-kubernetes-map-type'] as string | undefined;
  if (mapType === undefined) return [];
  const errs: FieldError[] = [];
  if (s.type !== 'object') {
    const detail = 'must be object if x-kubernetes-map-type is specified';
    errs.push(s.type ? fieldErrors.invalid(childPath(path, 'type'), s.type, detail) : fieldErrors.required(childPath(path, 'type'), detail));
  }
  if (mapType !== 'atomic' && mapType !== 'granular') errs.push(fieldErrors.notSupported(childPath(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  return errs;
}

function listTypeRules(s: Schema, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const listType = s['x-kubernetes-list-type'] as string | undefined;
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  const items: Schema | undefined = s.items && !Array.isArray(s.items) ? s.items : undefined;
  if (listType !== undefined && s.type !== 'array') {
    const detail = 'must be array if x-kubernetes-list-type is specified';
    errs.push(s.type ? fieldErrors.invalid(childPath(path, 'type'), s.type, detail) : fieldErrors.required(childPath(path, 'type'), detail));
  } else if (listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
      errs.push(fieldErrors.invalid(childPath(childPath(path, 'items'), 'x-kubernetes-list-type'), items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    } else if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(fieldErrors.invalid(childPath(childPath(path, 'items'), 'x-kubernetes-map-type'), items['x-kubernetes-list-type'] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) {
    errs.push(fieldErrors.notSupported(childPath(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  }
  if (keys.length > 0) {
    const detail = 'must be map if x-kubernetes-list-map-keys is non-empty';
    if (listType === undefined) errs.push(fieldErrors.required(childPath(path, 'x-kubernetes-list-type'), detail));
    else if (listType !== 'map') errs.push(fieldErrors.invalid(childPath(path, 'x-kubernetes-list-type'), listType, detail));
  }
  if (listType === 'map') {
    if (keys.length === 0) errs.push(fieldErrors.required(childPath(path, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    if (!s.items) errs.push(fieldErrors.required(childPath(path, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object') {
      errs.push(fieldErrors.invalid(childPath(childPath(path, 'items'), 'type'), items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    }
    if (items && items.type === 'object') {
      const seen = new Set<string>();
      for (const k of keys) {
        const keySchema = items.properties?.[k];
        if (!keySchema) {
          errs.push(invalidRendered(childPath(path, 'x-kubernetes-list-map-keys'), keys, goStringSlice(keys), 'entries must all be names of item properties'));
        } else if (keySchema.type === 'array' || keySchema.type === 'object') {
          errs.push(fieldErrors.invalid(childPath(keyPath(childPath(childPath(path, 'items'), 'properties'), k), 'type'), items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        }
        if (seen.has(k)) errs.push(invalidRendered(childPath(path, 'x-kubernetes-list-map-keys'), keys, goStringSlice(keys), 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable) errs.push(fieldErrors.forbidden(childPath(childPath(path, 'items'), 'nullable'), `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map') {
      const required = new Set(items.required ?? []);
      for (const k of keys) {
        const keySchema = items.properties?.[k];
        if (!keySchema) continue;
        const keyField = keyPath(childPath(childPath(path, 'items'), 'properties'), k);
        if (!required.has(k) && keySchema.default === undefined) {
          errs.push(fieldErrors.required(childPath(keyField, 'default'), 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        }
        if (keySchema.nullable) errs.push(fieldErrors.forbidden(childPath(keyField, 'nullable'), 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
  }
  return errs;
}
