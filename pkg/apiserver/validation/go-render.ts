/**
 * Go renderings of typed values that field errors print with `%v`/`%#v` where a JSON rendering
 * would differ (metav1.Time is a fmt.Stringer, []string prints as a Go literal).
 */
import { FieldError } from '../api/field-error.ts';
import { goNumber } from '../schema/go-format.ts';

/** time.Time.String() of an RFC 3339 timestamp, e.g. `2024-05-01 10:00:00 +0000 UTC`. */
export function goTimeString(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const iso = d.toISOString(); // 2024-05-01T10:00:00.000Z
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/** `%#v` of a []string. */
export function goStringSlice(values: string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/**
 * field.Invalid whose value must print in a Go-specific form: the rendered value goes in front of
 * the detail and the raw value is kept for programmatic use, producing the same message text.
 */
export function invalidRendered(field: string, value: unknown, rendered: string, detail: string): FieldError {
  return new FieldError('FieldValueInvalid', field, value, `${rendered}: ${detail}`, false);
}

/** `%#v` of an unstructured value held in an interface{} (map keys sorted, as fmt prints maps). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`;
  const obj = v as Record<string, unknown>;
  const entries = Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${goValue(obj[k])}`);
  return `map[string]interface {}{${entries.join(', ')}}`;
}

/** field.Duplicate of a compound value, printed as Go prints it (`map[string]interface {}{"name":"a"}`). */
export function duplicateRendered(field: string, value: unknown): FieldError {
  if (value === null || typeof value !== 'object') return new FieldError('FieldValueDuplicate', field, value, '');
  return new FieldError('FieldValueDuplicate', field, value, goValue(value), false);
}
