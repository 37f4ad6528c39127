/**
 * ObjectMeta validation shared by every resource (apimachinery's ValidateObjectMetaAccessor and
 * its helpers): names, namespace scope, labels, annotations, finalizers, owner references and
 * managed fields, with Kubernetes' field paths and messages.
 */
import { type FieldError, fieldErrors } from '../api/field-error.ts';
import type { ObjectMeta } from '../api/object.ts';
import { childPath } from '../schema/field-path.ts';
import { validateMetaCollections } from './meta-collections.ts';
import {
  type NameValidator,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validatePathSegmentName,
} from './name-validators.ts';

export { validateObjectMetaUpdate } from './object-meta-update.ts';
export * from './meta-collections.ts';

/** Name validators by name, for configuration that cannot hold a function. */
export type NameValidatorName = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

const namedValidators: Record<NameValidatorName, NameValidator> = {
  'dns1123-subdomain': nameIsDNSSubdomain,
  'dns1123-label': nameIsDNSLabel,
  'dns1035-label': nameIsDNS1035Label,
  'path-segment': validatePathSegmentName,
};

export interface ObjectMetaValidationOptions {
  /** Namespaced resources require a namespace; cluster-scoped ones forbid it. */
  namespaced: boolean;
  /**
   * How names (and generateName prefixes) are checked. kube-apiserver uses 'dns1123-subdomain'
   * for custom resources and most built-ins; 'path-segment' is for embedded resources.
   */
  nameValidator: NameValidator | NameValidatorName;
  /** Where metadata sits; "metadata" for a top-level object. */
  path?: string;
}

/** ValidateObjectMetaAccessor: metadata of an object being created (name generation already done). */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaValidationOptions): FieldError[] {
  const path = opts.path ?? 'metadata';
  const nameValidator = typeof opts.nameValidator === 'string' ? namedValidators[opts.nameValidator] : opts.nameValidator;
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of nameValidator(meta.generateName, true)) errs.push(fieldErrors.invalid(childPath(path, 'generateName'), meta.generateName, msg));
  }
  if (!meta.name) {
    errs.push(fieldErrors.required(childPath(path, 'name'), 'name or generateName is required'));
  } else {
    for (const msg of nameValidator(meta.name, false)) errs.push(fieldErrors.invalid(childPath(path, 'name'), meta.name, msg));
  }
  if (opts.namespaced) {
    if (!meta.namespace) errs.push(fieldErrors.required(childPath(path, 'namespace'), ''));
    else for (const msg of nameIsDNSLabel(meta.namespace, false)) errs.push(fieldErrors.invalid(childPath(path, 'namespace'), meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(fieldErrors.forbidden(childPath(path, 'namespace'), 'not allowed on this type'));
  }
  if (meta.generation !== undefined && meta.generation < 0) {
    errs.push(fieldErrors.invalid(childPath(path, 'generation'), meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateMetaCollections(meta, path));
  return errs;
}
