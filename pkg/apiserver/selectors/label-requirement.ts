import { isQualifiedName as isLabelKey, isValidLabelValue as isLabelValue } from '../validation/name-validators.ts';

/**
 * One term of a label selector (k8s.io/apimachinery/pkg/labels Requirement). The operator
 * spellings are selection.Operator's: they show up in error messages and in String().
 */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/** A requirement was malformed; `message` is the Go error text (an aggregated field.ErrorList). */
export class LabelRequirementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelRequirementError';
  }
}

/** Go's %q for the ASCII strings selectors are made of. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %#v of a []string, which field.Invalid prints for a whole value set. */
function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** field.Invalid(path, value, detail).Error() */
export function invalidFieldMessage(path: string, renderedValue: string, detail: string): string {
  return `${path}: Invalid value: ${renderedValue}: ${detail}`;
}

/** The key check done while parsing, before the operator is known (path is the nil *field.Path). */
export function labelKeyProblem(key: string, path = '<nil>'): string | undefined {
  const errs = isLabelKey(key);
  return errs.length ? invalidFieldMessage(path, goQuote(key), errs.join('; ')) : undefined;
}

const validOperators = ['in', 'notin', '=', '==', '!=', 'gt', 'lt', 'exists', '!'];

/**
 * labels.NewRequirement: validates and builds a requirement. Errors are collected, de-duplicated
 * and rendered like utilerrors.Aggregate ("msg" or "[msg1, msg2]").
 */
export function newRequirement(key: string, operator: LabelOperator, values: readonly string[]): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = isLabelKey(key);
  if (keyErrs.length) errs.push(invalidFieldMessage('key', goQuote(key), keyErrs.join('; ')));

  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalidFieldMessage('values', goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalidFieldMessage('values', goStringSlice(values), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalidFieldMessage('values', goStringSlice(values), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalidFieldMessage('values', goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v)) errs.push(invalidFieldMessage(`values[${i}]`, goQuote(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(`operator: Unsupported value: ${goQuote(operator)}: supported values: ${validOperators.map(goQuote).join(', ')}`);
  }
  values.forEach((v, i) => {
    const valueErrs = isLabelValue(v);
    if (valueErrs.length) errs.push(invalidFieldMessage(`values[${i}][${key}]`, goQuote(v), valueErrs.join('; ')));
  });

  const unique = [...new Set(errs)];
  if (unique.length === 1) throw new LabelRequirementError(unique[0]);
  if (unique.length > 1) throw new LabelRequirementError(`[${unique.join(', ')}]`);
  return { key, operator, values: [...values] };
}

export function requirementMatches(r: LabelRequirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value as string);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1 || !/^[+-]?\d+$/.test(value as string)) return false;
      const actual = BigInt(value as string);
      const bound = BigInt(r.values[0]);
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** Requirement.String(): `!a`, `a`, `a=b`, `a in (x,y)` with values sorted. */
export function requirementToString(r: LabelRequirement): string {
  if (r.operator === '!') return `!${r.key}`;
  if (r.operator === 'exists') return r.key;
  const values = [...r.values].sort().join(',');
  switch (r.operator) {
    case 'in':
      return `${r.key} in (${values})`;
    case 'notin':
      return `${r.key} notin (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}
