import { isJsonObject, type JsonObject } from './json-value.ts';
import { DIRECTIVE_MARKER } from './strategic-merge-directives.ts';
import { smpErrors } from './strategic-merge-errors.ts';

/**
 * The order of a merged list, as strategicpatch decides it (design proposal
 * "preserve-order-in-strategic-merge-patch"): items named by the patch (or its
 * `$setElementOrder` list) keep the patch's order, items only the server has keep the live
 * order, and the two are interleaved using the live order where both are known. An item new
 * to the server therefore lands before the server-only items that follow it.
 */

/** 'map' for lists of objects; otherwise the Go scalar type name, e.g. 'string'. */
export type ElementKind = string;

/** strategicpatch.sliceElementType: every element of every list has one type, never a list. */
export function sliceElementKind(...lists: unknown[][]): ElementKind {
  let kind: ElementKind | undefined;
  for (const list of lists) {
    for (const v of list) {
      const current = elementKind(v);
      if (kind === undefined) {
        if (current === 'list') throw smpErrors.noListOfLists();
        kind = current;
      } else if (kind !== current) {
        throw smpErrors.elementTypesDiffer(lists);
      }
    }
  }
  if (kind === undefined) throw smpErrors.noElements();
  return kind;
}

function elementKind(v: unknown): ElementKind {
  if (Array.isArray(v)) return 'list';
  if (isJsonObject(v)) return 'map';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

/** The value a list item is identified by: its merge key for maps, itself for scalars. */
function identity(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== 'map') return item;
  return isJsonObject(item) ? item[mergeKey] : undefined;
}

function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const id = identity(item, mergeKey, kind);
  return list.findIndex((v) => identity(v, mergeKey, kind) === id);
}

export function mergeKeyValue(item: unknown, mergeKey: string): unknown {
  if (!isJsonObject(item)) throw smpErrors.badArgType('map', item);
  if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
  return item[mergeKey];
}

/** Splits `merged` into the items present in `partitionBy` and the server-only rest. */
export function partitionByPresence(merged: unknown[], partitionBy: unknown[], mergeKey: string): { inPatch: unknown[]; serverOnly: unknown[] } {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  if (!mergeKey) {
    const present = new Set(partitionBy);
    for (const v of merged) (present.has(v) ? inPatch : serverOnly).push(v);
    return { inPatch, serverOnly };
  }
  for (const v of merged) {
    const key = mergeKeyValue(v, mergeKey);
    (findByMergeKey(partitionBy, mergeKey, key) >= 0 ? inPatch : serverOnly).push(v);
  }
  return { inPatch, serverOnly };
}

/** Index of the first map whose merge key equals `value` (strategicpatch.findMapInSliceBasedOnKeyValue). */
export function findByMergeKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isJsonObject(item)) throw smpErrors.notAMap(i);
    if (Object.hasOwn(item, mergeKey) && item[mergeKey] === value) return i;
  }
  return -1;
}

export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const sortedPatch = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const sortedServer = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  return interleave(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

/** strategicpatch.normalizeSliceOrder: stable sort by position in `order`, `$patch: delete` items last. */
function sortByOrder(items: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let toSort = items;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const v of [...items, ...order]) mergeKeyValue(v, mergeKey);
    toSort = items.filter((v) => (v as JsonObject)[DIRECTIVE_MARKER] !== 'delete');
    toDelete = items.filter((v) => (v as JsonObject)[DIRECTIVE_MARKER] === 'delete');
  }
  const positioned = toSort.map((item, i) => ({ item, i, at: indexIn(order, item, mergeKey, kind) }));
  // Items the order does not mention keep their relative place after the ones it does.
  positioned.sort((a, b) => {
    if (a.at >= 0 && b.at >= 0) return a.at - b.at;
    if (a.at >= 0) return -1;
    if (b.at >= 0) return 1;
    return a.i - b.i;
  });
  return [...positioned.map((p) => p.item), ...toDelete];
}

/** strategicpatch.mergeSortedSlice: a server-only item goes first only if the live order puts it before the next patch item. */
function interleave(serverOnly: unknown[], patchItems: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length && j < patchItems.length) {
    const li = indexIn(serverOrder, serverOnly[i], mergeKey, kind);
    const ri = indexIn(serverOrder, patchItems[j], mergeKey, kind);
    if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
    else out.push(patchItems[j++]);
  }
  return [...out, ...serverOnly.slice(i), ...patchItems.slice(j)];
}
