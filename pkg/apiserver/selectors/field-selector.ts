import { apiErrors } from '../api/errors.ts';

/**
 * The `fieldSelector` query parameter (k8s.io/apimachinery/pkg/fields): comma-separated
 * `field=value`, `field==value` or `field!=value` terms, ANDed. In values, `\,`, `\=` and `\\`
 * escape the special characters; the field part is taken literally up to the first operator.
 */
export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** Returns a field's value as a string, or undefined when the object has no such field ("" in Go). */
export type FieldAccessor = (field: string) => string | undefined;

export class FieldSelector {
  readonly requirements: readonly FieldRequirement[];

  constructor(requirements: readonly FieldRequirement[]) {
    this.requirements = requirements;
  }

  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  /** True when no term restricts anything. */
  get empty(): boolean {
    return this.requirements.length === 0;
  }

  /** Missing fields compare as "" like fields.Set.Get. */
  matches(get: FieldAccessor): boolean {
    return this.requirements.every((r) => {
      const actual = get(r.field) ?? '';
      return r.operator === '=' ? actual === r.value : actual !== r.value;
    });
  }

  /** The value an `=`/`==` term pins `field` to; lets storage answer metadata.name=x with a point lookup. */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  /** Field names used, for validation against what a resource supports. */
  fields(): string[] {
    return [...new Set(this.requirements.map((r) => r.field))];
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** splitTerms: commas split terms unless backslash-escaped; the backslash is kept for unescaping later. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

function splitTerm(term: string): { lhs: string; op: (typeof termOperators)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** UnescapeValue, with Go's error texts (an unescaped rune is printed as its code point, Go's %v of a rune). */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw apiErrors.badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw apiErrors.badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw apiErrors.badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.ParseSelector. Syntax errors are 400 BadRequest with the fields package's message. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort();
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) throw apiErrors.badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    requirements.push({ field: term.lhs, operator: term.op === '!=' ? '!=' : '=', value: unescapeValue(term.rhs) });
  }
  return new FieldSelector(requirements);
}
