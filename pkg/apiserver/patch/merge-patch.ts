import { cloneJson, isJsonObject, type JsonObject } from './json-value.ts';
import { patchErrors } from './patch-error.ts';

/**
 * Applies an RFC 7386 JSON merge patch to a copy of `doc`, as evanphx/json-patch v4's
 * MergePatch does inside kube-apiserver:
 * - a null member deletes the key; values that land where nothing (or null) was have their
 *   nested null members pruned, including objects inside arrays;
 * - a top-level array patch replaces the document (nulls pruned inside its objects);
 * - a `null` or scalar patch body is refused with 400 "Invalid JSON Patch" (ErrBadJSONPatch).
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return pruneArrayNulls(cloneJson(patch));
  if (!isJsonObject(patch)) throw patchErrors.badRequest('Invalid JSON Patch');
  const target = cloneJson(patch);
  if (!isJsonObject(doc)) return pruneNulls(target);
  const result = cloneJson(doc);
  mergeInto(result, target);
  return result;
}

function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = doc[key];
    doc[key] = current === undefined || current === null ? pruneNulls(value) : mergeValue(current, value);
  }
}

function mergeValue(current: unknown, patch: unknown): unknown {
  // Replacing a non-object: the patch value is taken, minus its null members.
  if (!isJsonObject(current)) return pruneNulls(patch);
  // An object replaced by a non-object is taken verbatim (the library does not prune here).
  if (!isJsonObject(patch)) return patch;
  mergeInto(current, patch);
  return current;
}

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
