/**
 * A port of the checks kube-openapi's SchemaValidator runs for a custom resource (type, allOf/
 * anyOf/oneOf/not, string, format, number, array, enum, object), in the same order and with the
 * same quirks, so that the errors a client sees are the ones kube-apiserver would produce.
 * Paths are kube-openapi names: `spec.tasks[0].taskID`, root "".
 */
import type { Schema } from './types.ts';
import type { UnchangedSubtrees } from './unchanged-subtrees.ts';
import { type OpenAPIError, openAPIErrors } from './openapi-errors.ts';
import { deepEqualJson, isPlainObject, jsonKind } from './json-value.ts';
import { goFloat, goNumber, goQuote } from './go-format.ts';
import { isKnownStringFormat, matchesStringFormat } from './formats.ts';

/**
 * `unchanged` subtrees passed these checks when they were stored and are skipped. Never inside
 * allOf/anyOf/oneOf/not: there a skipped subtree would count as a match where it may not be one.
 */
export function validateOpenAPI(value: unknown, schema: Schema, path: string, unchanged?: UnchangedSubtrees): OpenAPIError[] {
  if (unchanged?.has(value)) return [];
  const errs: OpenAPIError[] = [];
  if (value === null || value === undefined) {
    errs.push(...typeErrors(null, schema, path));
    errs.push(...enumErrors(null, schema, path));
    return errs;
  }
  errs.push(...typeErrors(value, schema, path));
  errs.push(...combinatorErrors(value, schema, path));
  if (typeof value === 'string') {
    errs.push(...stringErrors(value, schema, path));
    if (schema.format && isKnownStringFormat(schema.format) && !matchesStringFormat(schema.format, value)) {
      errs.push(openAPIErrors.invalidType(path, schema.format, value));
    }
  }
  if (typeof value === 'number') errs.push(...numberErrors(value, schema, path));
  if (Array.isArray(value)) errs.push(...arrayErrors(value, schema, path, unchanged));
  errs.push(...enumErrors(value, schema, path));
  if (isPlainObject(value)) errs.push(...objectErrors(value, schema, path, unchanged));
  return errs;
}

/** The declared JSON types; x-kubernetes-int-or-string becomes ["integer", "string"] as in kube-apiserver. */
function declaredTypes(schema: Schema): string[] {
  if (schema['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return schema.type ? [schema.type] : [];
}

function typeErrors(value: unknown, schema: Schema, path: string): OpenAPIError[] {
  const types = declaredTypes(schema);
  const format = schema.format ?? '';
  if (types.length === 0 && format === '') return [];
  if (value === null) {
    return !schema.nullable && types.length > 0 ? [openAPIErrors.invalidType(path, types.join(','), 'null')] : [];
  }
  const kind = jsonKind(value);
  const valueFormat = kind === 'integer' ? 'int64' : kind === 'number' ? 'float64' : '';
  const isIntFloat = kind === 'integer' && types.includes('number');
  const isStringOrArray = kind === 'string' || kind === 'array';
  if (!isStringOrArray && format !== '' && !(types.includes(kind) || valueFormat === format || isIntFloat)) {
    return [openAPIErrors.invalidType(path, format, valueFormat)];
  }
  // A formatted non-numeric schema accepts any string or array without a type check (kube-openapi quirk).
  if (!(types.includes('number') || types.includes('integer')) && format !== '' && isStringOrArray) return [];
  if (!(types.includes(kind) || isIntFloat)) return [openAPIErrors.invalidType(path, types.join(','), kind)];
  return [];
}

function enumErrors(value: unknown, schema: Schema, path: string): OpenAPIError[] {
  if (!schema.enum || schema.enum.length === 0) return [];
  if (value !== null && schema.enum.some((e) => deepEqualJson(e, value))) return [];
  return [openAPIErrors.enumFail(path, value, schema.enum)];
}

function stringErrors(value: string, schema: Schema, path: string): OpenAPIError[] {
  // utf8.RuneCountInString: code points, not UTF-16 units.
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) return [openAPIErrors.tooLong(path, schema.maxLength, value)];
  if (schema.minLength !== undefined && length < schema.minLength) return [openAPIErrors.tooShort(path, schema.minLength, value)];
  if (schema.pattern) {
    const re = compilePattern(schema.pattern);
    if (re instanceof Error) return [openAPIErrors.pattern(path, `${schema.pattern}, but pattern is invalid: ${re.message}`, value)];
    if (!re.test(value)) return [openAPIErrors.pattern(path, schema.pattern, value)];
  }
  return [];
}

const patternCache = new Map<string, RegExp | Error>();

/**
 * Compiles a schema pattern (Go RE2 syntax) to a RegExp. Go's regexp.MatchString is an unanchored
 * search, as is RegExp.test without the g flag. RE2 spellings JavaScript lacks are translated:
 * leading inline flags `(?i)`/`(?s)`/`(?m)` and the text anchors `\A` / `\z`.
 */
export function compilePattern(pattern: string): RegExp | Error {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    re = compileGoPattern(pattern);
    patternCache.set(pattern, re);
  }
  return re;
}

function compileGoPattern(pattern: string): RegExp | Error {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    flags = [...new Set(inline[1])].join('');
    source = source.slice(inline[0].length);
  }
  source = source.replace(/(^|[^\\])\\A/g, '$1^').replace(/(^|[^\\])\\z/g, '$1$$');
  try {
    return new RegExp(source, flags);
  } catch {
    try {
      return new RegExp(source, `${flags}u`);
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  }
}

/**
 * Integers are checked as int64 against int64(limit) (so a fractional limit is truncated, as in
 * Go); other numbers as float64. That choice also decides how the limit is printed.
 */
function numberErrors(value: number, schema: Schema, path: string): OpenAPIError[] {
  const errs: OpenAPIError[] = [];
  const isInt = Number.isInteger(value);
  if (schema.multipleOf !== undefined) {
    const factor = schema.multipleOf;
    if (factor < 0) {
      errs.push(openAPIErrors.multipleOfMustBePositive(path, goFloat(factor)));
    } else if (isInt && Number.isInteger(factor) && factor !== 0) {
      if (value % factor !== 0) errs.push(openAPIErrors.notMultipleOf(path, goNumber(factor), value));
    } else if (factor !== 0) {
      const mult = factor < 1 ? (1 / factor) * value : value / factor;
      if (!isJsonInteger(mult)) errs.push(openAPIErrors.notMultipleOf(path, goFloat(factor), value));
    }
  }
  if (schema.minimum !== undefined) {
    const min = isInt ? Math.trunc(schema.minimum) : schema.minimum;
    const excl = schema.exclusiveMinimum === true;
    if ((!excl && value < min) || (excl && value <= min)) {
      errs.push(openAPIErrors.exceedsMinimum(path, isInt ? goNumber(min) : goFloat(min), excl, value));
    }
  }
  if (schema.maximum !== undefined) {
    const max = isInt ? Math.trunc(schema.maximum) : schema.maximum;
    const excl = schema.exclusiveMaximum === true;
    if ((!excl && value > max) || (excl && value >= max)) {
      errs.push(openAPIErrors.exceedsMaximum(path, isInt ? goNumber(max) : goFloat(max), excl, value));
    }
  }
  return errs;
}

/** swag.IsFloat64AJSONInteger: integral up to a relative epsilon of 1e-9. */
function isJsonInteger(f: number): boolean {
  if (!Number.isFinite(f)) return false;
  const g = Math.trunc(f);
  if (f === g) return true;
  return Math.abs(f - g) / (Math.abs(f) + Math.abs(g)) < 1e-9;
}

function arrayErrors(value: unknown[], schema: Schema, path: string, unchanged: UnchangedSubtrees | undefined): OpenAPIError[] {
  const errs: OpenAPIError[] = [];
  if (schema.items) {
    for (let i = 0; i < value.length; i++) errs.push(...validateOpenAPI(value[i], schema.items, `${path}[${i}]`, unchanged));
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(openAPIErrors.tooFewItems(path, schema.minItems, value.length));
  if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(openAPIErrors.tooManyItems(path, schema.maxItems, value.length));
  if (schema.uniqueItems && value.some((v, i) => value.slice(0, i).some((u) => deepEqualJson(u, v)))) {
    errs.push(openAPIErrors.duplicateItems(path));
  }
  return errs;
}

function objectErrors(value: Record<string, unknown>, schema: Schema, path: string, unchanged: UnchangedSubtrees | undefined): OpenAPIError[] {
  const keys = Object.keys(value);
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
    return [openAPIErrors.tooFewProperties(path, schema.minProperties, keys.length)];
  }
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
    return [openAPIErrors.tooManyProperties(path, schema.maxProperties, keys.length)];
  }
  const errs: OpenAPIError[] = [];
  const properties = schema.properties ?? {};
  const additional = schema.additionalProperties;
  for (const key of keys) {
    if (Object.hasOwn(properties, key)) continue;
    if (additional === false) errs.push(openAPIErrors.propertyNotAllowed(path, key));
    else if (isPlainObject(additional)) errs.push(...validateOpenAPI(value[key], additional as Schema, `${path}.${key}`, unchanged));
  }
  for (const [name, propSchema] of Object.entries(properties)) {
    if (Object.hasOwn(value, name)) errs.push(...validateOpenAPI(value[name], propSchema, path ? `${path}.${name}` : name, unchanged));
  }
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(value, name)) errs.push(openAPIErrors.required(`${path}.${name}`));
  }
  return errs;
}

/**
 * allOf/anyOf/oneOf/not as kube-openapi's schemaPropsValidator: the junctor's own message plus the
 * errors of the alternative that came closest (kube-openapi ranks by matched checks; fewest errors
 * is used here, first one on ties).
 */
function combinatorErrors(value: unknown, schema: Schema, path: string): OpenAPIError[] {
  if (!schema.anyOf && !schema.oneOf && !schema.allOf && !schema.not) return [];
  const errs: OpenAPIError[] = [];
  // Quoted only for a message: most values match and need none.
  const quoted = () => goQuote(path);
  if (schema.anyOf && schema.anyOf.length > 0) {
    let best: OpenAPIError[] | undefined;
    let succeeded = false;
    for (const alt of schema.anyOf) {
      const r = validateOpenAPI(value, alt, path);
      if (r.length === 0) {
        succeeded = true;
        best = undefined;
        break;
      }
      if (!best || r.length < best.length) best = r;
    }
    if (!succeeded) errs.push(openAPIErrors.composite(`${quoted()} must validate at least one schema (anyOf)`));
    if (best) errs.push(...best);
  }
  if (schema.oneOf && schema.oneOf.length > 0) {
    let best: OpenAPIError[] | undefined;
    let validated = 0;
    for (const alt of schema.oneOf) {
      const r = validateOpenAPI(value, alt, path);
      if (r.length === 0) {
        validated++;
        best = undefined;
        continue;
      }
      if (validated === 0 && (!best || r.length < best.length)) best = r;
    }
    if (validated !== 1) {
      const detail = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`;
      errs.push(openAPIErrors.composite(`${quoted()} must validate one and only one schema (oneOf). ${detail}`));
      if (best) errs.push(...best);
    }
  }
  if (schema.allOf && schema.allOf.length > 0) {
    let validated = 0;
    for (const alt of schema.allOf) {
      const r = validateOpenAPI(value, alt, path);
      if (r.length === 0) validated++;
      errs.push(...r);
    }
    if (validated !== schema.allOf.length) {
      errs.push(openAPIErrors.composite(`${quoted()} must validate all the schemas (allOf)${validated === 0 ? '. None validated' : ''}`));
    }
  }
  if (schema.not && validateOpenAPI(value, schema.not, path).length === 0) {
    errs.push(openAPIErrors.composite(`${quoted()} must not validate the schema (not)`));
  }
  return errs;
}
