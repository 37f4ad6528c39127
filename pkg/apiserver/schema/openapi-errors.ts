/**
 * The errors kube-openapi's validator produces (k8s.io/kube-openapi/pkg/validation/errors) and
 * their translation into field errors (apiextensions-apiserver's kubeOpenAPIResultToFieldErrors).
 * Keeping both steps means messages carry the exact kube-apiserver wording, including its quirks
 * such as `<nil>` paths for anyOf/oneOf failures and `in body` in every detail.
 */
import { FieldError, fieldErrors } from '../api/field-error.ts';
import { NIL_PATH, childPath } from './field-path.ts';
import { goQuote } from './go-format.ts';

export type OpenAPIErrorCode =
  | 'InvalidType'
  | 'Required'
  | 'TooLong'
  | 'TooShort'
  | 'Pattern'
  | 'Enum'
  | 'MultipleOf'
  | 'Max'
  | 'Min'
  | 'Unique'
  | 'MaxItems'
  | 'MinItems'
  | 'TooFewProperties'
  | 'TooManyProperties'
  | 'UnallowedProperty'
  /** errors.New(CompositeErrorCode, ...): anyOf/oneOf/allOf/not; not an *errors.Validation. */
  | 'Composite';

export interface OpenAPIError {
  code: OpenAPIErrorCode;
  /** The kube-openapi path ("spec.tasks[0].taskID"); may start with "." for additionalProperties keys. */
  name: string;
  value?: unknown;
  /** The limit that was violated (maxItems, maxLength, maxProperties). */
  limit?: number;
  /** Enum values. */
  values?: unknown[];
  message: string;
}

const IN = 'body';

export const openAPIErrors = {
  invalidType(name: string, typeName: string, value: unknown): OpenAPIError {
    const message = typeof value === 'string' ? `${name} in ${IN} must be of type ${typeName}: ${goQuote(value)}` : `${name} in ${IN} must be of type ${typeName}`;
    return { code: 'InvalidType', name, value, message };
  },
  required(name: string): OpenAPIError {
    return { code: 'Required', name, message: `${name} in ${IN} is required` };
  },
  tooLong(name: string, max: number, value: string): OpenAPIError {
    return { code: 'TooLong', name, value, limit: max, message: `${name} in ${IN} should be at most ${max} chars long` };
  },
  tooShort(name: string, min: number, value: string): OpenAPIError {
    return { code: 'TooShort', name, value, message: `${name} in ${IN} should be at least ${min} chars long` };
  },
  pattern(name: string, pattern: string, value: string): OpenAPIError {
    return { code: 'Pattern', name, value, message: `${name} in ${IN} should match '${pattern}'` };
  },
  enumFail(name: string, value: unknown, values: unknown[]): OpenAPIError {
    return { code: 'Enum', name, value, values, message: `${name} in ${IN} should be one of ${JSON.stringify(values)}` };
  },
  notMultipleOf(name: string, factor: string, value: unknown): OpenAPIError {
    return { code: 'MultipleOf', name, value, message: `${name} in ${IN} should be a multiple of ${factor}` };
  },
  multipleOfMustBePositive(name: string, factor: string): OpenAPIError {
    return { code: 'MultipleOf', name, value: Number(factor), message: `factor MultipleOf declared for ${name} must be positive: ${factor}` };
  },
  exceedsMaximum(name: string, max: string, exclusive: boolean, value: unknown): OpenAPIError {
    const rel = exclusive ? 'less than' : 'less than or equal to';
    return { code: 'Max', name, value, message: `${name} in ${IN} should be ${rel} ${max}` };
  },
  exceedsMinimum(name: string, min: string, exclusive: boolean, value: unknown): OpenAPIError {
    const rel = exclusive ? 'greater than' : 'greater than or equal to';
    return { code: 'Min', name, value, message: `${name} in ${IN} should be ${rel} ${min}` };
  },
  duplicateItems(name: string): OpenAPIError {
    return { code: 'Unique', name, message: `${name} in ${IN} shouldn't contain duplicates` };
  },
  tooManyItems(name: string, max: number, size: number): OpenAPIError {
    return { code: 'MaxItems', name, value: size, limit: max, message: `${name} in ${IN} should have at most ${max} items` };
  },
  tooFewItems(name: string, min: number, size: number): OpenAPIError {
    return { code: 'MinItems', name, value: size, message: `${name} in ${IN} should have at least ${min} items` };
  },
  tooFewProperties(name: string, min: number, size: number): OpenAPIError {
    return { code: 'TooFewProperties', name, value: size, message: `${name} in ${IN} should have at least ${min} properties` };
  },
  tooManyProperties(name: string, max: number, size: number): OpenAPIError {
    return { code: 'TooManyProperties', name, value: size, limit: max, message: `${name} in ${IN} should have at most ${max} properties` };
  },
  propertyNotAllowed(name: string, key: string): OpenAPIError {
    return { code: 'UnallowedProperty', name, value: key, message: `${name}.${key} in ${IN} is a forbidden property` };
  },
  composite(message: string): OpenAPIError {
    return { code: 'Composite', name: '', message };
  },
};

/**
 * kubeOpenAPIResultToFieldErrors. `fieldPrefix` is the field.Path the validator's root is mounted
 * at (undefined for a custom resource, whose validator names fields from the object root).
 */
export function toFieldErrors(errs: OpenAPIError[], fieldPrefix?: string): FieldError[] {
  return errs.map((err) => toFieldError(err, fieldPrefix));
}

function toFieldError(err: OpenAPIError, fieldPrefix: string | undefined): FieldError {
  if (err.code === 'Composite') return fieldErrors.invalid(fieldPrefix || NIL_PATH, '', err.message);
  const name = err.name.startsWith('.') ? err.name.slice(1) : err.name;
  const field = err.name.length > 0 && err.name !== '.' ? childPath(fieldPrefix, name) : fieldPrefix || NIL_PATH;
  const value = err.value === undefined || err.value === null ? '' : err.value;
  switch (err.code) {
    case 'Required':
      return fieldErrors.required(field, '');
    case 'Enum':
      return fieldErrors.notSupported(field, err.value ?? null, (err.values ?? []).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
    case 'TooLong':
      return fieldErrors.tooLong(field, err.limit ?? -1);
    case 'MaxItems':
    case 'TooManyProperties':
      return fieldErrors.tooMany(field, typeof err.value === 'number' ? err.value : -1, err.limit ?? -1);
    case 'InvalidType':
      return fieldErrors.typeInvalid(field, value, err.message);
    default:
      return fieldErrors.invalid(field, value, err.message);
  }
}
