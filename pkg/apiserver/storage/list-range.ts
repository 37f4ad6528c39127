import type { EventHistory } from './event-history.ts';
import type { SortedKeySet } from './sorted-keys.ts';
import type { ListResult, StoredEntry } from './types.ts';

/** The current state a list reads from. */
export interface StateView {
  keys: SortedKeySet;
  entries: Map<string, StoredEntry>;
  history: EventHistory;
}

export interface RangeQuery {
  prefix: string;
  startAfter?: string;
  limit?: number;
  /** Revision to read at; must be >= compacted revision and <= current (checked by the caller). */
  atRevision: number;
  currentRevision: number;
  filter?: (entry: StoredEntry) => boolean;
}

/**
 * Lists keys under a prefix in key order, either now or as of an older revision.
 *
 * An older state is the current one with every later write in the range undone: for each key
 * touched after the revision, its first later event tells what it was then (ADDED → absent,
 * otherwise its prevValue). Only the history after the revision is read, so the cost is the
 * page plus the writes since — what continue-token paging over a busy collection needs.
 *
 * `remaining` counts keys after the page regardless of `filter` (Kubernetes omits
 * remainingItemCount when selectors are used, so an upper bound suffices there).
 */
export function listRange(state: StateView, q: RangeQuery): ListResult {
  const { prefix, filter } = q;
  const limit = q.limit && q.limit > 0 ? q.limit : Number.POSITIVE_INFINITY;
  // The scan starts at the later of the prefix and the continue key.
  const inclusive = q.startAfter === undefined || q.startAfter < prefix;
  const from = inclusive ? prefix : q.startAfter!;
  const overlay = q.atRevision < q.currentRevision ? undoLaterWrites(state.history, q.atRevision, prefix, from, inclusive) : undefined;

  const items: StoredEntry[] = [];
  let full = false;
  const take = (entry: StoredEntry): boolean => {
    if (filter && !filter(entry)) return true;
    items.push(entry);
    full = items.length >= limit;
    return !full;
  };

  // Keys that existed at the revision but are gone now, merged into the scan in key order.
  const vanished = overlay ? [...overlay.then.entries()].filter(([k, e]) => e && !state.entries.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  let v = 0;
  state.keys.scan(from, inclusive, (key) => {
    if (!key.startsWith(prefix)) return false;
    while (v < vanished.length && vanished[v][0] < key) if (!take(vanished[v++][1]!)) return false;
    if (overlay?.then.has(key)) {
      const then = overlay.then.get(key);
      return then ? take(then) : true;
    }
    return take(state.entries.get(key)!);
  });
  while (!full && v < vanished.length) take(vanished[v++][1]!);

  if (!full) return { items, revision: q.atRevision, more: false, remaining: 0 };
  const last = items[items.length - 1].key;
  const remaining = countAfter(state, prefix, last, overlay);
  return { items, revision: q.atRevision, more: remaining > 0, remaining };
}

interface Overlay {
  /** key → its entry at the revision, or null when it did not exist then. */
  then: Map<string, StoredEntry | null>;
}

function undoLaterWrites(history: EventHistory, revision: number, prefix: string, from: string, inclusive: boolean): Overlay {
  const then = new Map<string, StoredEntry | null>();
  history.forEachAfter(revision, (rec) => {
    const key = rec.event.key;
    if (then.has(key) || !key.startsWith(prefix) || (inclusive ? key < from : key <= from)) return;
    then.set(
      key,
      rec.event.type === 'ADDED'
        ? null
        : Object.freeze({ key, value: rec.event.prevValue!, createRevision: rec.createRevision, modRevision: rec.prevModRevision }),
    );
  });
  return { then };
}

/** Keys under `prefix` after `last`, at the overlay's revision when given. */
function countAfter(state: StateView, prefix: string, last: string, overlay: Overlay | undefined): number {
  let n = state.keys.rankPrefixEnd(prefix) - state.keys.rank(last, true);
  if (overlay) {
    for (const [key, then] of overlay.then) {
      if (key <= last) continue;
      const now = state.entries.has(key);
      if (now && !then) n--;
      else if (!now && then) n++;
    }
  }
  return n;
}
