/**
 * Field-level validation errors, shaped like k8s.io/apimachinery/pkg/util/validation/field.
 * `toString()` renders exactly what kube-apiserver prints, e.g.
 *   spec.maxParallelism: Invalid value: 129: spec.maxParallelism in body should be less than or equal to 128
 * and `cause()` is the `StatusCause` that goes into `Status.details.causes`.
 */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Types whose rendering omits the offending value (Kubernetes does the same). */
// TooMany is not here: field.TooMany prints the actual count (`Too many: 129: must have at most 128 items`).
const omitsValue = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export class FieldError {
  readonly type: FieldErrorType;
  readonly field: string;
  readonly value: unknown;
  readonly detail: string;
  /** When false the value is not rendered (e.g. secrets or huge values). */
  readonly showValue: boolean;

  constructor(type: FieldErrorType, field: string, value: unknown, detail: string, showValue = true) {
    this.type = type;
    this.field = field;
    this.value = value;
    this.detail = detail;
    this.showValue = showValue;
  }

  /** The message part without the field path, as used in `StatusCause.message`. */
  errorBody(): string {
    let s = typeText[this.type];
    if (!omitsValue.has(this.type) && this.showValue && this.value !== undefined) {
      s += `: ${renderValue(this.value)}`;
    }
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }

  toString(): string {
    return this.field ? `${this.field}: ${this.errorBody()}` : this.errorBody();
  }

  /** As in apierrors.NewInvalid: the message without the field, which goes in `field`. */
  cause(): StatusCause {
    return { reason: this.type, message: this.errorBody(), field: this.field };
  }
}

/** Go's %#v-like rendering used by field.Error: strings quoted, numbers plain, objects JSON. */
export function renderValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(renderValue).join(', ')}}`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Helpers mirroring field.Required(), field.Invalid(), ... */
export const fieldErrors = {
  required: (field: string, detail = '') => new FieldError('FieldValueRequired', field, undefined, detail),
  invalid: (field: string, value: unknown, detail: string) => new FieldError('FieldValueInvalid', field, value, detail),
  notSupported: (field: string, value: unknown, supported: unknown[]) =>
    new FieldError('FieldValueNotSupported', field, value, supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : ''),
  forbidden: (field: string, detail: string) => new FieldError('FieldValueForbidden', field, undefined, detail),
  duplicate: (field: string, value: unknown) => new FieldError('FieldValueDuplicate', field, value, ''),
  notFound: (field: string, value: unknown) => new FieldError('FieldValueNotFound', field, value, ''),
  tooLong: (field: string, max: number) => new FieldError('FieldValueTooLong', field, undefined, `may not be more than ${max} bytes`),
  tooMany: (field: string, actual: number, max: number) =>
    new FieldError('FieldValueTooMany', field, actual, `must have at most ${max} items`),
  typeInvalid: (field: string, value: unknown, detail: string) => new FieldError('FieldValueTypeInvalid', field, value, detail),
};
