import type { Schema } from '../schema/types.ts';
import { cloneJson, isJsonObject, type JsonObject } from './json-value.ts';
import { patchErrors } from './patch-error.ts';
import { fieldPatchMeta, type FieldPatchMeta } from './patch-meta.ts';
import {
  cleanTakenValue,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  fieldOfParallelList,
  hasDirectiveMarker,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  takePatchValue,
} from './strategic-merge-directives.ts';
import { smpErrors } from './strategic-merge-errors.ts';
import { findByMergeKey, mergeKeyValue, normalizeElementOrder, partitionByPresence, sliceElementKind } from './strategic-merge-order.ts';

/**
 * Applies a Kubernetes strategic merge patch to a copy of `doc`, as kube-apiserver does for
 * built-in kinds (strategicpatch.StrategicMergeMapPatch with MergeParallelList and
 * IgnoreUnmatchedNulls). The schema supplies each list's `x-kubernetes-patch-strategy` and
 * `x-kubernetes-patch-merge-key`; fields the schema does not describe merge like a JSON merge
 * patch for maps and are replaced for lists.
 *
 * Supported: `null` deletes a key; `$patch: replace|delete` on maps; `$patch: delete|replace`
 * items in merge lists; `$retainKeys`; `$deleteFromPrimitiveList/<field>`;
 * `$setElementOrder/<field>`; unions of primitive merge lists.
 * Throws PatchError with kube-apiserver's code for the failure (see patch-error.ts).
 */
export function applyStrategicMergePatch(doc: object, patch: object, schema: Schema | undefined): object {
  if (!isJsonObject(patch)) throw patchErrors.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  const original = isJsonObject(doc) ? cloneJson(doc) : {};
  return mergeMap(original, cloneJson(patch), schema);
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: Schema | undefined): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE_MARKER)) return applyMapDirective(patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, schema);

  for (const [patchKey, patchValue] of Object.entries(patch)) {
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX);
    const key = isDeleteList ? fieldOfParallelList(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX) : patchKey;

    if (patchValue === null) {
      delete original[key];
      continue;
    }
    if (!Object.hasOwn(original, key) || shapeOf(original[key]) !== shapeOf(patchValue)) {
      if (!isDeleteList) takePatchValue(original, key, patchValue);
      continue;
    }
    const current = original[key];
    if (isJsonObject(current)) {
      const meta = fieldPatchMeta(schema, key, false);
      if (meta.strategy === 'replace') takePatchValue(original, key, patchValue);
      else original[key] = mergeMap(current, patchValue as JsonObject, meta.schema);
    } else if (Array.isArray(current)) {
      original[key] = mergeList(current, patchValue as unknown[], fieldPatchMeta(schema, key, true), isDeleteList).merged;
    } else {
      takePatchValue(original, key, patchValue);
    }
  }
  return original;
}

/** Values merge only with values of the same shape; anything else is replaced by the patch. */
function shapeOf(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

/** `$patch` on a map: `replace` takes the patch map as the new value, `delete` empties it. */
function applyMapDirective(patch: JsonObject): JsonObject {
  const directive = patch[DIRECTIVE_MARKER];
  if (directive === 'replace') {
    delete patch[DIRECTIVE_MARKER];
    return cleanTakenValue(patch).value as JsonObject;
  }
  if (directive === 'delete') return {};
  throw smpErrors.badPatchType(directive, patch);
}

/**
 * `$retainKeys: [a, b]` clears every key of the original not listed; a patch that sets a key
 * outside the list is malformed (400).
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retain = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retain)) throw smpErrors.badRetainKeysFormat();
  const kept = new Set<unknown>(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || k.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!kept.has(k)) throw smpErrors.badRetainKeysFormat();
  }
  for (const k of Object.keys(original)) if (!kept.has(k)) delete original[k];
}

/**
 * Handles every `$setElementOrder/<field>` of this map together with the `<field>` patch
 * list (strategicpatch.mergePatchIntoOriginal): merges the list, then orders it with the
 * directive taking precedence over the patch order and the live order.
 */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, schema: Schema | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw smpErrors.badArgType('list', order);
    const field = fieldOfParallelList(directiveKey, SET_ELEMENT_ORDER_PREFIX);

    const foundOriginal = Object.hasOwn(original, field);
    const foundPatch = Object.hasOwn(patch, field);
    const originalList = foundOriginal ? asList(original[field]) : [];
    const patchList = foundPatch ? asList(patch[field]) : [];
    const meta = fieldPatchMeta(schema, field, true);
    validatePatchAgainstOrder(patchList, order, meta.mergeKey);

    let merged: unknown[];
    let liveOrder = originalList;
    if (foundOriginal && foundPatch) ({ merged, originalView: liveOrder } = mergeList(originalList, patchList, meta, false));
    else if (foundOriginal) merged = originalList;
    else if (foundPatch) merged = cleanTakenValue(patchList).value as unknown[];
    else continue;

    const { inPatch, serverOnly } = partitionByPresence(merged, order, meta.mergeKey);
    const kind = sliceElementKind(liveOrder, patchList);
    original[field] = normalizeElementOrder(inPatch, serverOnly, order, liveOrder, meta.mergeKey, kind);
    delete patch[field];
  }
}

function asList(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw smpErrors.badArgType('list', v);
  return v;
}

/** The patch list must name its items in the same relative order as `$setElementOrder`. */
function validatePatchAgainstOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => {
    if (!isJsonObject(v)) throw smpErrors.badArgType('map', v);
    return v[DIRECTIVE_MARKER] !== 'delete';
  }) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (hasDirectiveMarker(items[p])) {
      p++;
      continue;
    }
    const same = mergeKey ? mergeKeyValue(items[p], mergeKey) === mergeKeyValue(order[o], mergeKey) : items[p] === order[o];
    if (same) p++;
    o++;
  }
  if (p < items.length) throw smpErrors.orderMismatch(patchList, order);
}

/**
 * The result of merging a list, plus what the caller's view of the *original* list holds
 * afterwards. strategicpatch deletes and appends items in place (Go `append` on the original
 * slice), so the original slice that mergePatchIntoOriginal then uses as the "live order" has
 * deleted items shifted out and new items written into the freed slots. Reproducing that view
 * keeps the resulting order identical to kube-apiserver's, e.g. when kubectl apply adds one
 * container and deletes another in the same patch.
 */
interface MergedList {
  merged: unknown[];
  originalView: unknown[];
}

/** A list field: merged per its patch strategy, or replaced by the patch list. */
function mergeList(original: unknown[], patch: unknown[], meta: FieldPatchMeta, isDeleteList: boolean): MergedList {
  // A $deleteFromPrimitiveList is applied whatever the field's strategy is.
  if (meta.strategy !== 'merge' && !isDeleteList) return { merged: cleanTakenValue(patch).value as unknown[], originalView: original };
  if (original.length === 0 && patch.length === 0) return { merged: original, originalView: original };

  const kind = sliceElementKind(original, patch);
  if (kind !== 'map') {
    if (isDeleteList) {
      const doomed = new Set(patch);
      return { merged: original.filter((v) => !doomed.has(v)), originalView: original };
    }
    const merged = [...new Set([...original, ...patch])];
    const { inPatch, serverOnly } = partitionByPresence(merged, patch, '');
    return { merged: normalizeElementOrder(inPatch, serverOnly, patch, original, '', kind), originalView: original };
  }

  if (!meta.mergeKey) throw smpErrors.noMergeKeyDeclared();
  const special = applySpecialItems(original, patch, meta.mergeKey);
  const merged = mergeItemsByKey(special.original, special.patch, meta.mergeKey, meta.schema);
  const { inPatch, serverOnly } = partitionByPresence(merged, special.patch, meta.mergeKey);
  const ordered = normalizeElementOrder(inPatch, serverOnly, special.patch, special.original, meta.mergeKey, kind);

  const originalView = special.backing;
  if (!special.replaced) {
    const appended = merged.slice(special.original.length);
    for (let i = 0; i < appended.length && special.original.length + i < originalView.length; i++) {
      originalView[special.original.length + i] = appended[i];
    }
  }
  return { merged: ordered, originalView };
}

interface SpecialItemsResult {
  /** The list the plain patch items merge into. */
  original: unknown[];
  /** The patch items without directives. */
  patch: unknown[];
  replaced: boolean;
  /** The original slice's backing array after Go's in-place deletions (same length as the original). */
  backing: unknown[];
}

/**
 * List items carrying `$patch`: `delete` removes every original item with that merge key,
 * `replace` makes the remaining patch items the whole list (strategicpatch.mergeSliceWithSpecialElements).
 */
function applySpecialItems(original: unknown[], patch: unknown[], mergeKey: string): SpecialItemsResult {
  const plain: unknown[] = [];
  let replaced = false;
  const backing = [...original];
  let length = original.length;
  for (const item of patch) {
    const v = item as JsonObject;
    if (!Object.hasOwn(v, DIRECTIVE_MARKER)) {
      plain.push(item);
      continue;
    }
    switch (v[DIRECTIVE_MARKER]) {
      case 'delete': {
        if (!Object.hasOwn(v, mergeKey)) throw smpErrors.noMergeKey(v, mergeKey);
        for (;;) {
          const at = findByMergeKey(backing.slice(0, length), mergeKey, v[mergeKey]);
          if (at < 0) break;
          // Go's append(s[:at], s[at+1:]...): shift left in place, the last slot keeps its old value.
          backing.copyWithin(at, at + 1, length);
          length--;
        }
        break;
      }
      case 'replace':
        replaced = true;
        break;
      case 'merge':
        throw smpErrors.mergeDirectiveInList();
      default:
        throw smpErrors.badPatchType(v[DIRECTIVE_MARKER], v);
    }
  }
  if (replaced) return { original: cleanTakenValue(plain).value as unknown[], patch: [], replaced, backing };
  return { original: backing.slice(0, length), patch: plain, replaced, backing };
}

/** Patch items merge into the original item with the same merge key, or are appended. */
function mergeItemsByKey(original: unknown[], patch: unknown[], mergeKey: string, itemSchema: Schema | undefined): unknown[] {
  const merged = [...original];
  for (const item of patch) {
    const v = item as JsonObject;
    if (!Object.hasOwn(v, mergeKey)) throw smpErrors.noMergeKey(v, mergeKey);
    const at = findByMergeKey(merged, mergeKey, v[mergeKey]);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, v, itemSchema);
    else {
      const cleaned = cleanTakenValue(v);
      if (cleaned.keep) merged.push(cleaned.value);
    }
  }
  return merged;
}
