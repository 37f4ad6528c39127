/**
 * The subtrees an update leaves exactly as they were: objects and arrays of the new object that
 * are the very same JS values as the old object's at the same place (the registry shares them
 * instead of copying: the half a status or main write cannot change, whatever a merge patch does
 * not reach). When the old object was pruned, defaulted and validated under the same schema,
 * walking those subtrees again can neither find nor change anything, so the schema walkers
 * (pruning, type checks, null pruning, defaulting, validation) skip them. Identity only, never
 * equality: a value the client sent again, even an equal one, is new content and is walked.
 */
import { isPlainObject } from './json-value.ts';

export type UnchangedSubtrees = ReadonlySet<unknown>;

/**
 * Collects the shared subtrees of `next`. Below the first two levels (root, spec/status/metadata)
 * a pair of distinct objects is looked into only when its parent shares something, so a body the
 * client sent whole costs a pass over a few top-level keys, not a walk of everything it holds.
 */
export function unchangedSubtrees(next: unknown, old: unknown): UnchangedSubtrees {
  const found = new Set<unknown>();
  if (isPlainObject(next) && isPlainObject(old)) collect(next, old, found, 0);
  return found;
}

function collect(next: Record<string, unknown>, old: Record<string, unknown>, found: Set<unknown>, depth: number): void {
  const copies: [Record<string, unknown>, Record<string, unknown>][] = [];
  let sharesSome = false;
  for (const key of Object.keys(next)) {
    const value = next[key];
    if (value === null || typeof value !== 'object' || !Object.hasOwn(old, key)) continue;
    const before = old[key];
    if (value === before) {
      found.add(value);
      sharesSome = true;
    } else if (isPlainObject(value) && isPlainObject(before)) {
      copies.push([value, before]);
    }
  }
  if (sharesSome || depth < 2) for (const [value, before] of copies) collect(value, before, found, depth + 1);
}
