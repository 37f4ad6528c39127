import type { StorageEvent } from './types.ts';

/**
 * One write as remembered by the history: the event watchers saw, plus what is needed to undo it
 * when reconstructing an older state (list at revision): the prior value's modRevision and the
 * object's createRevision. Mirrors kine's row (create_revision, prev_revision, old_value).
 */
export interface HistoryRecord {
  event: StorageEvent;
  /** createRevision of the object the event is about (its own revision for ADDED). */
  createRevision: number;
  /** modRevision of `event.prevValue`; 0 for ADDED. */
  prevModRevision: number;
}

/**
 * Bounded ring of the most recent writes in revision order. When full, pushing evicts the oldest
 * record; the store then treats that revision as compacted (a watch from before it gets 410).
 */
export class EventHistory {
  readonly capacity: number;
  #ring: (HistoryRecord | undefined)[];
  #start = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#ring = new Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Appends a record (revisions must increase); returns the evicted oldest record, if any. */
  push(record: HistoryRecord): HistoryRecord | undefined {
    let evicted: HistoryRecord | undefined;
    if (this.#length === this.capacity) {
      evicted = this.#ring[this.#start];
      this.#ring[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.capacity;
      this.#length--;
    }
    this.#ring[(this.#start + this.#length) % this.capacity] = record;
    this.#length++;
    return evicted;
  }

  /** Visits records with revision > `revision` in order until `visit` returns false. */
  forEachAfter(revision: number, visit: (record: HistoryRecord) => boolean | void): void {
    for (let i = this.#firstIndexAfter(revision); i < this.#length; i++) {
      if (visit(this.#at(i)) === false) return;
    }
  }

  /** Drops every record with revision <= `revision`. */
  dropThrough(revision: number): void {
    const n = this.#firstIndexAfter(revision);
    for (let i = 0; i < n; i++) this.#ring[(this.#start + i) % this.capacity] = undefined;
    this.#start = (this.#start + n) % this.capacity;
    this.#length -= n;
  }

  clear(): void {
    this.dropThrough(Number.POSITIVE_INFINITY);
  }

  #at(i: number): HistoryRecord {
    return this.#ring[(this.#start + i) % this.capacity]!;
  }

  /** Logical index of the first record with revision > `revision` (binary search: no gap assumptions). */
  #firstIndexAfter(revision: number): number {
    let lo = 0;
    let hi = this.#length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#at(mid).event.revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
