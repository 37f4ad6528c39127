/**
 * ValidateObjectMetaAccessorUpdate: what an update may not change in metadata, plus the checks
 * every update re-runs (labels, annotations, owner references, finalizers, managed fields).
 */
import { type FieldError, fieldErrors } from '../api/field-error.ts';
import type { ObjectMeta } from '../api/object.ts';
import { childPath } from '../schema/field-path.ts';
import { goStringSlice, goTimeString, invalidRendered } from './go-render.ts';
import { validateMetaCollections } from './meta-collections.ts';

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';

export function validateObjectMetaUpdate(newMeta: ObjectMeta, oldMeta: ObjectMeta, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    const oldSet = new Set(oldMeta.finalizers ?? []);
    const added = [...new Set(newMeta.finalizers ?? [])].filter((f) => !oldSet.has(f)).sort();
    if (added.length > 0) {
      errs.push(
        fieldErrors.forbidden(childPath(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`),
      );
    }
  }
  if (!newMeta.resourceVersion) {
    errs.push(fieldErrors.invalid(childPath(path, 'resourceVersion'), newMeta.resourceVersion ?? '', 'must be specified for an update'));
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(fieldErrors.invalid(childPath(path, 'generation'), newMeta.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...immutableString(newMeta.name ?? '', oldMeta.name ?? '', childPath(path, 'name')));
  errs.push(...immutableString(newMeta.namespace ?? '', oldMeta.namespace ?? '', childPath(path, 'namespace')));
  errs.push(...immutableString(newMeta.uid ?? '', oldMeta.uid ?? '', childPath(path, 'uid')));
  errs.push(...immutableTime(newMeta.creationTimestamp, oldMeta.creationTimestamp, childPath(path, 'creationTimestamp'), false));
  errs.push(...immutableTime(newMeta.deletionTimestamp, oldMeta.deletionTimestamp, childPath(path, 'deletionTimestamp'), true));
  if ((newMeta.deletionGracePeriodSeconds ?? null) !== (oldMeta.deletionGracePeriodSeconds ?? null)) {
    errs.push(fieldErrors.invalid(childPath(path, 'deletionGracePeriodSeconds'), newMeta.deletionGracePeriodSeconds ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  }
  errs.push(...validateMetaCollections(newMeta, path));
  return errs;
}

function immutableString(newVal: string, oldVal: string, path: string): FieldError[] {
  return newVal === oldVal ? [] : [fieldErrors.invalid(path, newVal, FIELD_IMMUTABLE_ERROR_MSG)];
}

/** metav1.Time compares at second precision; it prints through time.Time.String(), a nil pointer as null. */
function immutableTime(newVal: string | undefined, oldVal: string | undefined, path: string, pointer: boolean): FieldError[] {
  const seconds = (t: string | undefined) => (t ? Math.floor(new Date(t).getTime() / 1000) : undefined);
  if (seconds(newVal) === seconds(oldVal)) return [];
  if (!newVal) {
    return [pointer ? fieldErrors.invalid(path, null, FIELD_IMMUTABLE_ERROR_MSG) : invalidRendered(path, '', '0001-01-01 00:00:00 +0000 UTC', FIELD_IMMUTABLE_ERROR_MSG)];
  }
  return [invalidRendered(path, newVal, goTimeString(newVal), FIELD_IMMUTABLE_ERROR_MSG)];
}
