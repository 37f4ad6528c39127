/**
 * The ObjectMeta collections validated on every create and update: labels, annotations, owner
 * references, finalizers and managed fields (apimachinery's ValidateLabels, ValidateAnnotations,
 * ValidateOwnerReferences, ValidateFinalizers, ValidateManagedFields).
 */
import { type FieldError, fieldErrors } from '../api/field-error.ts';
import type { ManagedFieldsEntry, ObjectMeta, OwnerReference } from '../api/object.ts';
import { childPath, indexPath } from '../schema/field-path.ts';
import { goStringSlice, invalidRendered } from './go-render.ts';
import { isQualifiedName, isValidLabelValue } from './name-validators.ts';

export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;
const FIELD_MANAGER_MAX_LENGTH = 128;
const SUBRESOURCE_NAME_MAX_LENGTH = 256;
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

/** The parts checked both on create and on update. */
export function validateMetaCollections(meta: ObjectMeta, path: string): FieldError[] {
  return [
    ...validateLabels(meta.labels, childPath(path, 'labels')),
    ...validateAnnotations(meta.annotations, childPath(path, 'annotations')),
    ...validateOwnerReferences(meta.ownerReferences, childPath(path, 'ownerReferences')),
    ...validateFinalizers(meta.finalizers, childPath(path, 'finalizers')),
    ...validateManagedFields(meta.managedFields, childPath(path, 'managedFields')),
  ];
}

/** v1validation.ValidateLabels: errors name the labels map, not the key. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    const value = String(v);
    for (const msg of isValidLabelValue(value)) errs.push(fieldErrors.invalid(path, value, msg));
  }
  return errs;
}

export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldErrors.invalid(path, name, msg));
}

/** Keys are qualified names compared case-insensitively; keys plus values at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid(path, k, msg));
    total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(String(v), 'utf8');
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(fieldErrors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) {
    for (const msg of isQualifiedName(f)) errs.push(fieldErrors.invalid(path, f, msg));
  }
  const list = finalizers ?? [];
  if (list.includes(FINALIZER_ORPHAN_DEPENDENTS) && list.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(
      invalidRendered(path, list, goStringSlice(list), `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`),
    );
  }
  return errs;
}

/** schema.ParseGroupVersion's version part ("" when unparsable, like FromAPIVersionAndKind). */
function parseApiVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return { group: '', version: '' };
}

/** Errors name the ownerReferences list itself (Kubernetes does not index them). */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const gv = parseApiVersion(ref.apiVersion ?? '');
    if (!gv.version) errs.push(fieldErrors.invalid(childPath(path, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(fieldErrors.invalid(childPath(path, 'kind'), ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(fieldErrors.invalid(childPath(path, 'name'), ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(fieldErrors.invalid(childPath(path, 'uid'), ref.uid ?? '', 'must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
      errs.push(fieldErrors.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          fieldErrors.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateManagedFields(entries: ManagedFieldsEntry[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((entry, i) => {
    const p = indexPath(path, i);
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') {
      errs.push(fieldErrors.invalid(childPath(p, 'operation'), entry.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (entry.fieldsType && entry.fieldsType !== 'FieldsV1') {
      errs.push(fieldErrors.invalid(childPath(p, 'fieldsType'), entry.fieldsType, 'must be `FieldsV1`'));
    }
    if (entry.manager && Buffer.byteLength(entry.manager, 'utf8') > FIELD_MANAGER_MAX_LENGTH) {
      errs.push(fieldErrors.tooLong(childPath(p, 'manager'), FIELD_MANAGER_MAX_LENGTH));
    }
    if (entry.subresource && entry.subresource.length > SUBRESOURCE_NAME_MAX_LENGTH) {
      errs.push(fieldErrors.tooLong(childPath(p, 'subresource'), SUBRESOURCE_NAME_MAX_LENGTH));
    }
  });
  return errs;
}
