import { ApiError, type StatusDetails } from '../api/errors.ts';

/**
 * A patch that could not be decoded or applied. It carries the exact HTTP code, reason and
 * Status message kube-apiserver answers with, so the handler can map it 1:1
 * (`new ApiError(e.httpCode, e.reason, e.message)` or `e.toApiError()`).
 *
 * Where the codes come from (k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
 * - JSON patch body that does not decode (`jsonpatch.DecodePatch`)  → `errors.NewBadRequest(err)`: 400 BadRequest.
 * - JSON patch operation that fails (`test` mismatch, missing path) → `NewGenericServerResponse(422, …)`:
 *   422 reason Invalid, message "the server rejected our request due to an error in our request";
 *   the jsonpatch error text itself is dropped (isUnexpectedResponse=false → no causes). kubectl shows
 *   "The request is invalid: the server rejected our request due to an error in our request"
 *   (kubernetes-client/javascript#2095; introduced by kubernetes/kubernetes#68346).
 * - Merge patch body that is not a JSON object (`jsonpatch.ErrBadJSONPatch`) → 400 BadRequest "Invalid JSON Patch".
 * - Strategic merge patch body that does not decode → 400 BadRequest with the decode error.
 * - Strategic merge errors go through `interpretStrategicMergePatchError`: the mergepatch format errors
 *   (bad $deleteFromPrimitiveList / $retainKeys / $setElementOrder) → 400 BadRequest with their text;
 *   ErrNoListOfLists → 422 as above; every other error is a plain Go error, which
 *   responsewriters.ErrorToAPIStatus turns into code 500 with an empty (Unknown) reason and the
 *   error text as message (kubernetes/kubernetes#68202 shows such a body).
 * - More than 10000 JSON patch operations → 413 RequestEntityTooLarge.
 */
export class PatchError extends Error {
  readonly httpCode: number;
  /** The Status `reason`; '' is metav1.StatusReasonUnknown (kube omits the field). */
  readonly reason: string;
  /** What actually went wrong, for logs; for 422 kube does not put this on the wire. */
  readonly detail: string;
  readonly details: StatusDetails | undefined;

  constructor(httpCode: number, reason: string, message: string, detail: string = message, details?: StatusDetails) {
    super(message);
    this.name = 'PatchError';
    this.httpCode = httpCode;
    this.reason = reason;
    this.detail = detail;
    this.details = details;
  }

  toApiError(): ApiError {
    return new ApiError(this.httpCode, this.reason, this.message, this.details);
  }
}

const UNPROCESSABLE_MESSAGE = 'the server rejected our request due to an error in our request';

export const patchErrors = {
  /** 400: the patch document is malformed. */
  badRequest(message: string): PatchError {
    return new PatchError(400, 'BadRequest', message);
  },
  /** 422: a well-formed patch that cannot be applied to this object (NewGenericServerResponse). */
  unprocessable(detail: string): PatchError {
    return new PatchError(422, 'Invalid', UNPROCESSABLE_MESSAGE, detail, {});
  },
  /** 500 with reason Unknown: a plain Go error reaching ErrorToAPIStatus. */
  unknown(message: string): PatchError {
    return new PatchError(500, '', message);
  },
  tooManyOperations(max: number, got: number): PatchError {
    return new PatchError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${max}, got ${got}`);
  },
};
