import type { StorageEvent, WatchHandle } from './types.ts';

/** Called when a watcher's callback throws; the watcher stays registered. */
export type WatcherErrorHandler = (error: unknown, event: StorageEvent, prefix: string) => void;

interface Watcher {
  readonly prefix: string;
  /** Events at or below this revision were already delivered (by replay) or predate the watch. */
  deliveredThrough: number;
  readonly onEvent: (e: StorageEvent) => void;
  stopped: boolean;
  /** Non-null while the watcher is replaying history: live events wait here to keep order. */
  pending: StorageEvent[] | null;
}

/**
 * Fans each write out to the watchers whose prefix matches its key.
 *
 * Watchers are grouped by prefix so one write costs one `startsWith` per distinct prefix (resource
 * types × namespaces), not per watcher, and every watcher receives the same event object.
 * Delivery is strictly in revision order even when a callback writes to the store re-entrantly:
 * events published during a dispatch are queued and delivered after the current one.
 */
export class WatchHub {
  #byPrefix = new Map<string, Watcher[]>();
  #queue: StorageEvent[] = [];
  #dispatching = false;
  #onError: WatcherErrorHandler;

  constructor(onError: WatcherErrorHandler) {
    this.#onError = onError;
  }

  get watcherCount(): number {
    let n = 0;
    for (const list of this.#byPrefix.values()) n += list.length;
    return n;
  }

  /**
   * Registers a watcher, then runs `replay` (which must deliver history after `fromRevision`
   * through the deliver function it receives, in order) before any live event reaches it.
   */
  add(
    prefix: string,
    fromRevision: number,
    onEvent: (e: StorageEvent) => void,
    replay: (deliver: (e: StorageEvent) => void) => void,
  ): WatchHandle {
    const watcher: Watcher = { prefix, deliveredThrough: fromRevision, onEvent, stopped: false, pending: [] };
    // Copy-on-write so a dispatch in progress keeps iterating the list it started with.
    this.#byPrefix.set(prefix, [...(this.#byPrefix.get(prefix) ?? []), watcher]);
    try {
      replay((e) => this.#deliver(watcher, e));
      // Live events that arrived during replay (re-entrant writes); more may be appended while
      // flushing, so drain until empty before switching to direct delivery.
      const pending = watcher.pending!;
      for (let i = 0; i < pending.length; i++) this.#deliver(watcher, pending[i]);
      watcher.pending = null;
    } catch (err) {
      this.#remove(watcher);
      throw err;
    }
    return { stop: () => this.#remove(watcher) };
  }

  publish(event: StorageEvent): void {
    this.#queue.push(event);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let i = 0; i < this.#queue.length; i++) this.#dispatch(this.#queue[i]);
    } finally {
      this.#queue.length = 0;
      this.#dispatching = false;
    }
  }

  clear(): void {
    for (const list of this.#byPrefix.values()) for (const w of list) w.stopped = true;
    this.#byPrefix.clear();
  }

  #dispatch(event: StorageEvent): void {
    for (const [prefix, watchers] of this.#byPrefix) {
      if (!event.key.startsWith(prefix)) continue;
      for (const w of watchers) {
        if (w.pending) w.pending.push(event);
        else this.#deliver(w, event);
      }
    }
  }

  #deliver(w: Watcher, event: StorageEvent): void {
    if (w.stopped || event.revision <= w.deliveredThrough) return;
    w.deliveredThrough = event.revision;
    try {
      w.onEvent(event);
    } catch (err) {
      this.#onError(err, event, w.prefix);
    }
  }

  #remove(w: Watcher): void {
    w.stopped = true;
    const list = this.#byPrefix.get(w.prefix);
    if (!list) return;
    const rest = list.filter((x) => x !== w);
    if (rest.length) this.#byPrefix.set(w.prefix, rest);
    else this.#byPrefix.delete(w.prefix);
  }
}
