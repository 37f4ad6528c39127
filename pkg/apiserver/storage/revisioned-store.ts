import { EventHistory, type HistoryRecord } from './event-history.ts';
import { listRange } from './list-range.ts';
import { SortedKeySet } from './sorted-keys.ts';
import {
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  RevisionTooLargeError,
  StorageError,
  TooOldError,
  type ListOptions,
  type ListResult,
  type StorageEvent,
  type Store,
  type StoredEntry,
  type WatchHandle,
} from './types.ts';
import { WatchHub, type WatcherErrorHandler } from './watch-hub.ts';

/**
 * Where writes go before they become visible. `append` must make the record durable (or throw,
 * which rejects the write with nothing changed); the memory backend's log does nothing.
 */
export interface WriteLog {
  append(record: HistoryRecord): void;
  compact(revision: number): void;
  close(): void;
}

/** State to start from (the SQLite backend loads it from disk). */
export interface InitialState {
  /** Live entries sorted by key. */
  entries: StoredEntry[];
  /** Retained history in revision order, all above `compactedRevision`. */
  history: HistoryRecord[];
  revision: number;
  compactedRevision: number;
}

export interface StoreCoreOptions {
  /**
   * Most events kept in memory for watch replay and list-at-revision. Older ones are dropped
   * (their revisions count as compacted: 410 Gone), bounding memory when no compactor runs.
   */
  historyCapacity?: number;
  /** A watcher callback threw; by default this emits a process warning. */
  onWatcherError?: WatcherErrorHandler;
}

export const DEFAULT_HISTORY_CAPACITY = 50_000;

const noopLog: WriteLog = { append() {}, compact() {}, close() {} };

const warnWatcherError: WatcherErrorHandler = (error, event, prefix) => {
  process.emitWarning(`storage watcher on ${prefix} threw on revision ${event.revision}: ${String(error)}`, 'StorageWatcherError');
};

/**
 * The Store shared by both backends: current state in memory (map + sorted key index), a bounded
 * history ring, and the watch fan-out. A write is validated in memory, rendered, appended to the
 * WriteLog (durable for SQLite) and only then applied and published, so an acknowledged write is
 * persisted and a failed one leaves no trace (its revision is not consumed).
 */
export class RevisionedStore implements Store {
  #entries = new Map<string, StoredEntry>();
  #keys: SortedKeySet;
  #history: EventHistory;
  #hub: WatchHub;
  #log: WriteLog;
  #revision: number;
  #compacted: number;
  #closed = false;

  constructor(options: StoreCoreOptions = {}, log: WriteLog = noopLog, initial?: InitialState) {
    this.#log = log;
    this.#history = new EventHistory(options.historyCapacity ?? DEFAULT_HISTORY_CAPACITY);
    this.#hub = new WatchHub(options.onWatcherError ?? warnWatcherError);
    this.#revision = initial?.revision ?? 0;
    this.#compacted = initial?.compactedRevision ?? 0;
    const entries = initial?.entries ?? [];
    for (const e of entries) this.#entries.set(e.key, Object.freeze(e));
    this.#keys = SortedKeySet.fromSorted(entries.map((e) => e.key));
    for (const rec of initial?.history ?? []) this.#remember(rec);
  }

  get revision(): number {
    return this.#revision;
  }

  get compactedRevision(): number {
    return this.#compacted;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Number of registered watchers (for metrics and leak tests). */
  get watcherCount(): number {
    return this.#hub.watcherCount;
  }

  get(key: string): StoredEntry | undefined {
    return this.#entries.get(key);
  }

  list(prefix: string, opts: ListOptions = {}): ListResult {
    const at = opts.atRevision ?? this.#revision;
    this.#checkReadable(at);
    return listRange(
      { keys: this.#keys, entries: this.#entries, history: this.#history },
      { prefix, startAfter: opts.startAfter, limit: opts.limit, atRevision: at, currentRevision: this.#revision, filter: opts.filter },
    );
  }

  count(prefix: string): number {
    return this.#keys.rankPrefixEnd(prefix) - this.#keys.rank(prefix);
  }

  create(key: string, render: (revision: number) => string): StoredEntry {
    this.#checkOpen();
    if (this.#entries.has(key)) throw new KeyExistsError(key);
    const revision = this.#revision + 1;
    const value = render(revision);
    const entry: StoredEntry = Object.freeze({ key, value, createRevision: revision, modRevision: revision });
    const event: StorageEvent = { type: 'ADDED', key, revision, value };
    this.#commit({ event, createRevision: revision, prevModRevision: 0 });
    this.#entries.set(key, entry);
    this.#keys.add(key);
    this.#hub.publish(event);
    return entry;
  }

  update(key: string, expectedModRevision: number, render: (revision: number) => string): StoredEntry {
    this.#checkOpen();
    const current = this.#mustGet(key, expectedModRevision);
    const revision = this.#revision + 1;
    const value = render(revision);
    const entry: StoredEntry = Object.freeze({ key, value, createRevision: current.createRevision, modRevision: revision });
    const event: StorageEvent = { type: 'MODIFIED', key, revision, value, prevValue: current.value };
    this.#commit({ event, createRevision: current.createRevision, prevModRevision: current.modRevision });
    this.#entries.set(key, entry);
    this.#hub.publish(event);
    return entry;
  }

  delete(key: string, expectedModRevision: number | undefined, render: (revision: number) => string): StorageEvent {
    this.#checkOpen();
    const current = this.#mustGet(key, expectedModRevision);
    const revision = this.#revision + 1;
    const value = render(revision);
    const event: StorageEvent = { type: 'DELETED', key, revision, value, prevValue: current.value };
    this.#commit({ event, createRevision: current.createRevision, prevModRevision: current.modRevision });
    this.#entries.delete(key);
    this.#keys.delete(key);
    this.#hub.publish(event);
    return event;
  }

  watch(prefix: string, fromRevision: number, onEvent: (e: StorageEvent) => void): WatchHandle {
    this.#checkOpen();
    if (fromRevision < this.#compacted) throw new TooOldError(fromRevision, this.#compacted);
    return this.#hub.add(prefix, fromRevision, onEvent, (deliver) => {
      this.#history.forEachAfter(fromRevision, (rec) => {
        if (rec.event.key.startsWith(prefix)) deliver(rec.event);
      });
    });
  }

  compact(revision: number): void {
    this.#checkOpen();
    const target = Math.min(revision, this.#revision);
    if (target <= this.#compacted) return;
    this.#log.compact(target);
    this.#history.dropThrough(target);
    this.#compacted = target;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#hub.clear();
    this.#history.clear();
    this.#log.close();
  }

  #commit(record: HistoryRecord): void {
    this.#log.append(record);
    this.#revision = record.event.revision;
    this.#remember(record);
  }

  #remember(record: HistoryRecord): void {
    const evicted = this.#history.push(record);
    if (evicted && evicted.event.revision > this.#compacted) this.#compacted = evicted.event.revision;
  }

  #mustGet(key: string, expectedModRevision: number | undefined): StoredEntry {
    const current = this.#entries.get(key);
    if (!current) throw new KeyNotFoundError(key);
    if (expectedModRevision !== undefined && current.modRevision !== expectedModRevision) {
      throw new RevisionMismatchError(key, expectedModRevision, current.modRevision);
    }
    return current;
  }

  #checkReadable(revision: number): void {
    if (revision < this.#compacted) throw new TooOldError(revision, this.#compacted);
    if (revision > this.#revision) throw new RevisionTooLargeError(revision, this.#revision);
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageError('store is closed');
  }
}
