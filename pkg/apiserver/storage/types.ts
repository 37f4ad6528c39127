/**
 * The storage contract of the embedded API server: a revisioned key-value log in the kine/etcd
 * model. One global, strictly increasing revision; every write is compare-and-swap on the key's
 * modRevision; history is bounded and compacted; watches replay history then follow live writes.
 *
 * Values are the object's JSON text *as served*, with metadata.resourceVersion already set to the
 * revision of the write (the `render` callbacks receive that revision). Storing the served text
 * lets list and watch responses be assembled without re-serialising objects.
 *
 * All methods are synchronous: both backends keep the current state in memory and the SQLite
 * backend persists each write in its own transaction before returning, so an acknowledged write
 * survives `kill -9`.
 */
export interface StoredEntry {
  key: string;
  /** JSON text of the object, resourceVersion = modRevision. */
  value: string;
  createRevision: number;
  modRevision: number;
}

export type StorageEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StorageEvent {
  type: StorageEventType;
  key: string;
  revision: number;
  /** New value; for DELETED the last state of the object with resourceVersion = the deletion revision. */
  value: string;
  /** Value before this event (undefined for ADDED). Lets watchers with selectors see objects leave. */
  prevValue?: string;
  /** Free slot for consumers to memoise per-event renderings (e.g. the watch line). */
  cache?: Map<string, string>;
}

export interface ListResult {
  items: StoredEntry[];
  /** Revision the list is consistent at. */
  revision: number;
  /** True when `limit` cut the result short; the next page starts after the last item's key. */
  more: boolean;
  /** Number of items left after this page (approximate counts are allowed, exact here). */
  remaining: number;
}

export interface ListOptions {
  /** Only keys strictly greater than this (continue-token paging). */
  startAfter?: string;
  limit?: number;
  /**
   * Read the state as it was at this revision (continue tokens, resourceVersionMatch=Exact).
   * Throws TooOldError when it is older than the compacted revision.
   */
  atRevision?: number;
  /** Skip entries that fail this test without counting them against `limit`. */
  filter?: (entry: StoredEntry) => boolean;
}

export interface WatchHandle {
  stop(): void;
}

export interface Store {
  /** Highest revision assigned so far (0 for an empty store). */
  readonly revision: number;
  /** Oldest revision still answerable by watch/list-at-revision; older → TooOldError. */
  readonly compactedRevision: number;
  /** Number of live keys. */
  readonly size: number;

  get(key: string): StoredEntry | undefined;
  list(prefix: string, opts?: ListOptions): ListResult;
  count(prefix: string): number;

  /** Throws KeyExistsError when the key is live. */
  create(key: string, render: (revision: number) => string): StoredEntry;
  /** Throws KeyNotFoundError, or RevisionMismatchError when modRevision differs. */
  update(key: string, expectedModRevision: number, render: (revision: number) => string): StoredEntry;
  /**
   * Deletes the key; `render` produces the DELETED event's object (resourceVersion = deletion
   * revision). Throws KeyNotFoundError / RevisionMismatchError (when expectedModRevision is given).
   */
  delete(key: string, expectedModRevision: number | undefined, render: (revision: number) => string): StorageEvent;

  /**
   * Events for keys under `prefix` with revision > fromRevision, first replayed from history
   * (synchronously, before watch() returns) then live. Throws TooOldError when fromRevision is
   * older than the compacted revision.
   */
  watch(prefix: string, fromRevision: number, onEvent: (e: StorageEvent) => void): WatchHandle;

  /** Drop history up to and including `revision` (bounded by the current revision). */
  compact(revision: number): void;
  close(): void;
}

export class StorageError extends Error {}

export class KeyExistsError extends StorageError {
  readonly key: string;
  constructor(key: string) {
    super(`key exists: ${key}`);
    this.key = key;
  }
}

export class KeyNotFoundError extends StorageError {
  readonly key: string;
  constructor(key: string) {
    super(`key not found: ${key}`);
    this.key = key;
  }
}

export class RevisionMismatchError extends StorageError {
  readonly key: string;
  readonly expected: number;
  readonly actual: number;
  constructor(key: string, expected: number, actual: number) {
    super(`revision mismatch on ${key}: expected ${expected}, have ${actual}`);
    this.key = key;
    this.expected = expected;
    this.actual = actual;
  }
}

export class TooOldError extends StorageError {
  readonly requested: number;
  readonly compacted: number;
  constructor(requested: number, compacted: number) {
    super(`too old resource version: ${requested} (${compacted})`);
    this.requested = requested;
    this.compacted = compacted;
  }
}

/**
 * A read at a revision the store has not reached yet (list atRevision > revision). Kubernetes
 * answers this with 504 "Too large resource version" (metav1.StatusReasonTimeout, cause
 * ResourceVersionTooLarge) after waiting briefly.
 */
export class RevisionTooLargeError extends StorageError {
  readonly requested: number;
  readonly current: number;
  constructor(requested: number, current: number) {
    super(`Too large resource version: ${requested}, current: ${current}`);
    this.requested = requested;
    this.current = current;
  }
}
