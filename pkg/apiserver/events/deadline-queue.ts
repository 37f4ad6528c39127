/**
 * Keys ordered by deadline, for expiring objects a fixed TTL after their last write.
 *
 * With one TTL and a monotonic clock, each new deadline (now + ttl) is at or after every deadline
 * already queued, so the queue stays sorted by appending: a Map in insertion order, where renewing
 * a key deletes and re-inserts it at the end. Every operation is O(1) and the expired keys are
 * always at the front, so expiring never scans the live ones.
 *
 * A deadline earlier than the last one queued (a clock step backwards, or callers loading
 * unsorted deadlines) is raised to that last deadline: the key then expires a little late, never
 * early. Callers with a batch of unrelated deadlines (a restart) sort them before adding.
 */
export class DeadlineQueue<K> {
  readonly #deadlines = new Map<K, number>();
  #last = Number.NEGATIVE_INFINITY;

  get size(): number {
    return this.#deadlines.size;
  }

  /** (Re)schedules `key`; returns the deadline it got. */
  set(key: K, deadline: number): number {
    const at = Math.max(deadline, this.#last);
    this.#deadlines.delete(key);
    this.#deadlines.set(key, at);
    this.#last = at;
    return at;
  }

  delete(key: K): boolean {
    return this.#deadlines.delete(key);
  }

  deadlineOf(key: K): number | undefined {
    return this.#deadlines.get(key);
  }

  /** The earliest deadline, or undefined when empty. */
  nextDeadline(): number | undefined {
    for (const at of this.#deadlines.values()) return at;
    return undefined;
  }

  /** Removes and returns up to `max` keys whose deadline is at or before `now`, earliest first. */
  takeExpired(now: number, max = Number.POSITIVE_INFINITY): K[] {
    const out: K[] = [];
    for (const [key, at] of this.#deadlines) {
      if (at > now || out.length >= max) break;
      out.push(key);
    }
    for (const key of out) this.#deadlines.delete(key);
    return out;
  }
}
