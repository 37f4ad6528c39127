import { goTypeName, goValue } from './go-format.ts';
import { patchErrors, type PatchError } from './patch-error.ts';

/**
 * The errors k8s.io/apimachinery's strategicpatch and mergepatch packages return while
 * applying a patch, with the HTTP mapping kube-apiserver gives them
 * (handlers/patch.go interpretStrategicMergePatchError; see patch-error.ts).
 */
export const smpErrors = {
  // mergepatch sentinel errors answered with 400 BadRequest.
  badPrimitiveListFormat: (): PatchError => patchErrors.badRequest('invalid patch format of primitive list'),
  badRetainKeysFormat: (): PatchError => patchErrors.badRequest('invalid patch format of retainKeys'),
  badSetElementOrderFormat: (): PatchError => patchErrors.badRequest('invalid patch format of setElementOrder list'),
  // mergepatch.ErrNoListOfLists is answered with the generic 422.
  noListOfLists: (): PatchError => patchErrors.unprocessable('lists of lists are not supported'),
  // Everything else is a plain Go error: 500 with the error text.
  noMergeKey: (m: unknown, key: string): PatchError => patchErrors.unknown(`map: ${goValue(m)} does not contain declared merge key: ${key}`),
  badArgType: (expected: 'map' | 'list', actual: unknown): PatchError =>
    patchErrors.unknown(`expected a ${goTypeName(expected === 'map' ? {} : [])}, but received a ${goTypeName(actual)}`),
  badPatchType: (directive: unknown, m: unknown): PatchError => patchErrors.unknown(`unknown patch type: ${goValue(directive)} in map: ${goValue(m)}`),
  mergeDirectiveInList: (): PatchError => patchErrors.unknown('merging lists cannot yet be specified in the patch'),
  noMergeKeyDeclared: (): PatchError => patchErrors.unknown('cannot merge lists without merge key for struct'),
  notAMap: (index: number): PatchError => patchErrors.unknown(`value for key ${index} is not a map`),
  elementTypesDiffer: (lists: unknown[][]): PatchError => patchErrors.unknown(`list element types are not identical: ${goValue(lists)}`),
  noElements: (): PatchError => patchErrors.unknown('no elements in any of the given slices'),
  orderMismatch: (patchList: unknown, order: unknown): PatchError =>
    patchErrors.unknown(`the order in patch list:\n${goValue(patchList)}\n doesn't match $setElementOrder list:\n${goValue(order)}`),
};
