import { ApiError, apiErrors } from '../api/errors.ts';
import { isPlainObject, type KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { PatchError } from '../patch/patch-error.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.ts';

/** The PATCH content types kube-apiserver accepts, by the name the registry uses. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/**
 * Applies a JSON patch, merge patch or strategic merge patch to the current object. Strategic
 * merge is for built-in kinds only (their schemas carry the merge keys); custom resources answer
 * 415 as on Kubernetes. Server-side apply has its own path (managed fields).
 */
export function applyPatchDocument(rt: Pick<ResourceType, 'strategicMergePatch' | 'schema'>, type: PatchType, current: KubeObject, patch: unknown): unknown {
  try {
    switch (type) {
      case 'json':
        if (!Array.isArray(patch)) throw apiErrors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
        return applyJsonPatch(current, patch);
      case 'merge':
        return applyMergePatch(current, patch);
      case 'strategic':
        if (!rt.strategicMergePatch) {
          throw new ApiError(
            415,
            'UnsupportedMediaType',
            'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
          );
        }
        if (!isPlainObject(patch)) throw apiErrors.badRequest('the body of a strategic merge patch must be a JSON object');
        return applyStrategicMergePatch(current, patch, rt.schema);
      default:
        throw apiErrors.badRequest(`unsupported patch type ${type}`);
    }
  } catch (e) {
    if (e instanceof PatchError) throw e.toApiError();
    throw e;
  }
}
