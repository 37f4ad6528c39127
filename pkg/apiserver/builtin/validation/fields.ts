/** Small helpers shared by the built-in strategies: typed access to untyped objects and common checks. */
import { isDeepStrictEqual } from 'node:util';
import { FieldError, fieldErrors } from '../../api/field-error.ts';
import { isPlainObject } from '../../api/object.ts';
import type { KubeObject } from '../../api/object.ts';

export type Obj = Record<string, unknown>;

/** The object at `obj[key]`, created (and attached) when absent, for defaulting. */
export function ensureObject(obj: Obj, key: string): Obj {
  const v = obj[key];
  if (isPlainObject(v)) return v;
  const created: Obj = {};
  obj[key] = created;
  return created;
}

export function objectAt(obj: unknown, key: string): Obj | undefined {
  if (!isPlainObject(obj)) return undefined;
  const v = obj[key];
  return isPlainObject(v) ? v : undefined;
}

/** The array at `obj[key]`, objects only (non-objects are left to schema validation). */
export function objectsAt(obj: unknown, key: string): Obj[] {
  if (!isPlainObject(obj)) return [];
  const v = obj[key];
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

export function arrayAt(obj: unknown, key: string): unknown[] | undefined {
  if (!isPlainObject(obj)) return undefined;
  const v = obj[key];
  return Array.isArray(v) ? v : undefined;
}

export function stringAt(obj: unknown, key: string): string | undefined {
  if (!isPlainObject(obj)) return undefined;
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

/** Sets `obj[key] = value` when the field is absent (null counts as absent, like a nil pointer). */
export function setDefault(obj: Obj, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** `metadata.name` checked with a Kubernetes name rule (e.g. isDNS1123Subdomain). */
export function validateObjectName(obj: KubeObject, rule: (name: string) => string[]): FieldError[] {
  const name = obj.metadata?.name;
  if (!name) return [];
  const errs = rule(name);
  return errs.length ? [fieldErrors.invalid('metadata.name', name, errs.join(', '))] : [];
}

/** A string field checked with a name rule, joined like Kubernetes (`strings.Join(errs, ", ")`). */
export function validateFormat(path: string, value: string, rule: (s: string) => string[]): FieldError[] {
  const errs = rule(value);
  return errs.length ? [fieldErrors.invalid(path, value, errs.join(', '))] : [];
}

/** ValidateImmutableField: `field is immutable` when the value changed. */
export function validateImmutable(path: string, value: unknown, old: unknown): FieldError[] {
  return isDeepStrictEqual(value, old) ? [] : [fieldErrors.invalid(path, value, 'field is immutable')];
}

export function validateEnum(path: string, value: unknown, supported: string[]): FieldError[] {
  if (value === undefined || value === null) return [];
  return supported.includes(value as string) ? [] : [fieldErrors.notSupported(path, value, supported)];
}

/** ValidateNonnegativeField. */
export function validateNonnegative(path: string, value: unknown): FieldError[] {
  if (typeof value !== 'number' || value >= 0) return [];
  return [fieldErrors.invalid(path, value, 'must be greater than or equal to 0')];
}

export function validateLabelSelector(path: string, selector: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!selector) return errs;
  objectsAt(selector, 'matchExpressions').forEach((req, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const op = req.operator;
    const values = arrayAt(req, 'values') ?? [];
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(fieldErrors.required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(fieldErrors.forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
    } else {
      errs.push(fieldErrors.invalid(`${p}.operator`, op, 'not a valid selector operator'));
    }
  });
  return errs;
}

/** Does `selector` (metav1.LabelSelector) match `labels`? An empty selector matches everything. */
export function selectorMatches(selector: Obj, labels: Record<string, string>): boolean {
  const matchLabels = objectAt(selector, 'matchLabels') ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const req of objectsAt(selector, 'matchExpressions')) {
    const key = String(req.key);
    const values = (arrayAt(req, 'values') ?? []).map(String);
    const has = key in labels;
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export { FieldError, fieldErrors, isPlainObject };

/**
 * A name rule stricter than the DNS-1123 subdomain every object name is already checked against
 * (pkg/apiserver/validation): reported only when that generic check passes, so a bad name yields
 * one error as in Kubernetes (which runs only the kind's own rule).
 */
export function validateStricterName(obj: KubeObject, rule: (name: string) => string[], generic: (name: string) => string[]): FieldError[] {
  const name = obj.metadata?.name;
  if (!name || generic(name).length) return [];
  return validateObjectName(obj, rule);
}
