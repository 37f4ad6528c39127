import { isJsonObject } from './json-value.ts';
import { smpErrors } from './strategic-merge-errors.ts';

/** Strategic merge patch directive keys (strategicpatch/patch.go constants). */
export const DIRECTIVE_MARKER = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

export function hasDirectiveMarker(v: unknown): boolean {
  return isJsonObject(v) && Object.hasOwn(v, DIRECTIVE_MARKER);
}

/** `$setElementOrder/containers` → `containers`; a malformed key is a 400 like Kubernetes'. */
export function fieldOfParallelList(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX ? smpErrors.badPrimitiveListFormat() : smpErrors.badSetElementOrderFormat();
  }
  return key.slice(slash + 1);
}

function isParallelDirectiveKey(key: string): boolean {
  return key === RETAIN_KEYS_DIRECTIVE || key.startsWith(`${SET_ELEMENT_ORDER_PREFIX}/`) || key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST_PREFIX}/`);
}

/**
 * Readies a patch value that is taken as-is (nothing to merge it with): null members are
 * dropped (strategicpatch discardNullValuesFromPatch), maps carrying `$patch` disappear
 * (removeDirectives, kubernetes/kubernetes#117568), and the parallel-list directive keys are
 * dropped, as decoding into the typed Go object does in kube-apiserver.
 * Returns `keep: false` when the value itself is a directive map.
 */
export function cleanTakenValue(v: unknown): { value: unknown; keep: boolean } {
  if (isJsonObject(v)) {
    if (Object.hasOwn(v, DIRECTIVE_MARKER)) return { value: undefined, keep: false };
    for (const [k, child] of Object.entries(v)) {
      if (child === null || isParallelDirectiveKey(k)) {
        delete v[k];
        continue;
      }
      const cleaned = cleanTakenValue(child);
      if (cleaned.keep) v[k] = cleaned.value;
      else delete v[k];
    }
    return { value: v, keep: true };
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const cleaned = cleanTakenValue(item);
      if (cleaned.keep) out.push(cleaned.value);
    }
    return { value: out, keep: true };
  }
  return { value: v, keep: true };
}

/** Sets `target[key]` to the cleaned patch value, or removes the key when nothing is kept. */
export function takePatchValue(target: Record<string, unknown>, key: string, patchValue: unknown): void {
  const cleaned = cleanTakenValue(patchValue);
  if (cleaned.keep) target[key] = cleaned.value;
  else delete target[key];
}
