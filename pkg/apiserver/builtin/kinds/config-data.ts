/** core/v1 configmaps and secrets: key syntax, size, `immutable`, secret types and stringData. */
import { Buffer } from 'node:buffer';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import { isConfigMapKey } from '../validation/names.ts';
import { FieldError, fieldErrors, isPlainObject, objectAt, validateImmutable, type Obj } from '../validation/fields.ts';

/** Maximum total size of a ConfigMap's or Secret's data (core.MaxSecretSize). */
const maxDataSize = 1024 * 1024;

function validateKeys(data: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(data ?? {})) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`${path}[${key}]`, key, msg));
  }
  return errs;
}

function validateImmutableData(obj: KubeObject, old: KubeObject, dataFields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
    for (const f of dataFields) if (!isDeepStrictEqual(obj[f], old[f])) errs.push(fieldErrors.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

function validateConfigMap(cm: KubeObject): FieldError[] {
  const data = objectAt(cm, 'data');
  const binaryData = objectAt(cm, 'binaryData');
  const errs = [...validateKeys(data, 'data'), ...validateKeys(binaryData, 'binaryData')];
  let size = 0;
  for (const [key, value] of Object.entries(data ?? {})) {
    size += typeof value === 'string' ? Buffer.byteLength(value) : 0;
    if (binaryData && key in binaryData) errs.push(fieldErrors.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
  }
  for (const value of Object.values(binaryData ?? {})) size += typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
  if (size > maxDataSize) errs.push(fieldErrors.tooLong('', maxDataSize));
  return errs;
}

export const configMapStrategy: ResourceStrategy = {
  validate: validateConfigMap,
  validateUpdate: (cm, old) => [...validateConfigMap(cm), ...validateImmutableData(cm, old, ['data', 'binaryData'])],
};

/**
 * The v1 → internal conversion of Secret: `stringData` is write-only, merged into the base64
 * `data` (stringData wins on conflicts) and never stored or returned.
 */
export function mergeStringData(secret: Obj): void {
  const stringData = secret.stringData;
  if (isPlainObject(stringData)) {
    const data: Obj = isPlainObject(secret.data) ? secret.data : {};
    for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
    secret.data = data;
  }
  delete secret.stringData;
}

/** Keys (or annotations) each well-known secret type requires. */
const requiredSecretKeys: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function validateSecret(secret: KubeObject): FieldError[] {
  const data = objectAt(secret, 'data') ?? {};
  const errs = validateKeys(data, 'data');
  let size = 0;
  for (const value of Object.values(data)) size += typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
  if (size > maxDataSize) errs.push(fieldErrors.tooLong('data', maxDataSize));
  const type = String(secret.type ?? '');
  for (const key of requiredSecretKeys[type] ?? []) if (!(key in data)) errs.push(fieldErrors.required(`data[${key}]`));
  if (type === 'kubernetes.io/service-account-token' && !secret.metadata.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(fieldErrors.required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(fieldErrors.required('data[username]'), fieldErrors.required('data[password]'));
  }
  return errs;
}

export const secretStrategy: ResourceStrategy = {
  applyDefaults(secret: KubeObject): void {
    if (!secret.type) secret.type = 'Opaque';
    mergeStringData(secret);
  },
  validate: validateSecret,
  validateUpdate: (secret, old) => [
    ...validateSecret(secret),
    ...validateImmutable('type', secret.type, old.type),
    ...validateImmutableData(secret, old, ['data']),
  ],
};
