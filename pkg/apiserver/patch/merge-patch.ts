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
 * Copy-on-write: `doc` is never changed. The result is a new object, and so is every object on
 * the path to a patched member; everything the patch does not reach is `doc`'s own subtree, shared
 * (a label patch on a pod copies the root, metadata and labels, not the spec). Callers must not
 * write into the result's untouched subtrees, or they write into `doc`.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return pruneArrayNulls(cloneJson(patch));
  if (!isJsonObject(patch)) throw patchErrors.badRequest('Invalid JSON Patch');
  const target = cloneJson(patch);
  if (!isJsonObject(doc)) return pruneNulls(target);
  return mergeInto(doc, target);
}

/** A shallow copy of `doc` with `patch` merged in (objects it descends into are copied the same way). */
function mergeInto(doc: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...doc };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
      continue;
    }
    const current = result[key];
    result[key] = current === undefined || current === null ? pruneNulls(value) : mergeValue(current, value);
  }
  return result;
}

function mergeValue(current: unknown, patch: unknown): unknown {
  // Replacing a non-object: the patch value is taken, minus its null members.
  if (!isJsonObject(current)) return pruneNulls(patch);
  // An object replaced by a non-object is taken verbatim (the library does not prune here).
  if (!isJsonObject(patch)) return patch;
  return mergeInto(current, patch);
}

/** Only ever applied to the patch's own (cloned) values, never to `doc`'s. */
function pruneNulls(v: unknown): unknown {
  if (isJsonObject(v)) {
    for (const [k, child] of Object.entries(v)) {
      if (child === null) delete v[k];
      else pruneNulls(child);
    }
  } else if (Array.isArray(v)) {
    pruneArrayNulls(v);
  }
  return v;
}

/** Null array elements stay; only objects inside the array lose their null members. */
function pruneArrayNulls(a: unknown[]): unknown[] {
  for (const item of a) if (item !== null) pruneNulls(item);
  return a;
}
