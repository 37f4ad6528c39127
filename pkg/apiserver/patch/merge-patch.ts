import { cloneJson, isJsonObject, type JsonObject } from './json-value.ts';
import { patchErrors } from './patch-error.ts';

/**
 * Applies an RFC 7386 JSON merge patch to `doc`, as evanphx/json-patch v4's MergePatch does inside
 * kube-apiserver:
 * - a null member deletes the key; values that land where nothing (or null) was have their
 *   nested null members pruned, including objects inside arrays;
 * - a top-level array patch replaces the document (nulls pruned inside its objects);
 * - a `null` or scalar patch body is refused with 400 "Invalid JSON Patch" (ErrBadJSONPatch).
 *
 * Copy-on-write: neither `doc` nor `patch` is changed. The result is a new object, and so is every
 * object on the path to a patched member or taken from the patch; everything the patch does not
 * reach is `doc`'s own subtree, shared (a label patch on a pod copies the root, metadata and
 * labels, not the spec). Callers must not
 * write into the result's untouched subtrees, or they write into `doc`.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return copyArrayPruningNulls(patch);
  if (!isJsonObject(patch)) throw patchErrors.badRequest('Invalid JSON Patch');
  if (!isJsonObject(doc)) return copyPruningNulls(patch);
  return mergeInto(doc, patch);
}

/** A shallow copy of `doc` with `patch` merged in (objects it descends into are copied the same way). */
function mergeInto(doc: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...doc };
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete result[key];
      continue;
    }
    const current = result[key];
    result[key] = current === undefined || current === null ? copyPruningNulls(value) : mergeValue(current, value);
  }
  return result;
}

function mergeValue(current: unknown, patch: unknown): unknown {
  // Replacing a non-object: the patch value is taken, minus its null members.
  if (!isJsonObject(current)) return copyPruningNulls(patch);
  // An object replaced by a non-object is taken verbatim (the library does not prune here).
  if (!isJsonObject(patch)) return Array.isArray(patch) ? cloneJson(patch) : patch;
  return mergeInto(current, patch);
}

/**
 * A copy of a patch value without its null members (objects inside arrays too). Patch values are
 * copied, never shared, as they enter the result: the caller's patch stays as it was, and one walk
 * both copies and prunes (a deep clone first, then a pruning walk, cost twice that).
 */
function copyPruningNulls(v: unknown): unknown {
  if (Array.isArray(v)) return copyArrayPruningNulls(v);
  if (!isJsonObject(v)) return v;
  const copy: JsonObject = {};
  for (const key of Object.keys(v)) {
    const child = v[key];
    if (child === null) continue;
    // JSON.parse makes "__proto__" an own member; an assignment would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: copyPruningNulls(child), enumerable: true, writable: true, configurable: true });
    else copy[key] = copyPruningNulls(child);
  }
  return copy;
}

/** Null array elements stay; only objects inside the array lose their null members. */
function copyArrayPruningNulls(a: unknown[]): unknown[] {
  return a.map((item) => (item === null ? null : copyPruningNulls(item)));
}
