import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { HistoryRecord } from './event-history.ts';
import type { InitialState, WriteLog } from './revisioned-store.ts';
import type { StorageEvent, StorageEventType, StoredEntry } from './types.ts';

/**
 * The kine model in SQLite: one row per write, `id` = the global revision. A row carries the
 * key's value after the write (for deletes: the DELETED event's object), the value before it and
 * its modRevision, so history survives restarts and older states can be reconstructed.
 * Compaction deletes rows at or below the compacted revision except the latest row of each live
 * key (which is the current state).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL,
  old_value TEXT
);
DROP INDEX IF EXISTS kine_name_id;
CREATE TABLE IF NOT EXISTS kine_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

const COMPACT_REV = 'compact_rev';

export interface SqliteLogOptions {
  path: string;
  /** Pages of WAL before an automatic checkpoint (SQLite default 1000 = 4 MiB). */
  walAutocheckpointPages?: number;
}

/** An open database: the WriteLog for the store plus what was on disk when it was opened. */
export class SqliteLog implements WriteLog {
  readonly db: DatabaseSync;
  #insert: StatementSync;
  #deleteCompacted: StatementSync;
  #setMeta: StatementSync;

  constructor(options: SqliteLogOptions) {
    // timeout 0: a database held by another process fails at once instead of hanging.
    this.db = new DatabaseSync(options.path, { timeout: 0 });
    try {
      // Exclusive locking mode: SQLite keeps its OS file lock for the connection's lifetime, so a
      // second process cannot write even if the pid lock file was misjudged; the OS releases it
      // when we die. WAL + synchronous=NORMAL: a commit is in the WAL (the OS page cache) before
      // it returns, so it survives kill -9; power loss may drop the last transactions (kine's
      // default trade-off too).
      this.db.exec('PRAGMA locking_mode = EXCLUSIVE');
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = NORMAL');
      this.db.exec(`PRAGMA wal_autocheckpoint = ${Math.max(1, Math.floor(options.walAutocheckpointPages ?? 4000))}`);
      this.db.exec(SCHEMA);
      this.#insert = this.db.prepare(
        'INSERT INTO kine (id, name, deleted, create_revision, prev_revision, value, old_value) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      // A row is history once a later write of the same key names it as prev_revision. Finding
      // superseded rows through that link needs only the primary key, so writes pay for no
      // secondary index (it cost a third of each insert).
      this.#deleteCompacted = this.db.prepare(
        `DELETE FROM kine WHERE id <= ?1 AND (deleted = 1 OR id IN (SELECT prev_revision FROM kine WHERE id <= ?1 AND prev_revision > 0))`,
      );
      this.#setMeta = this.db.prepare('INSERT INTO kine_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** Reads the current state and up to `historyCapacity` of the most recent retained writes. */
  load(historyCapacity: number): InitialState {
    const maxId = Number(this.db.prepare('SELECT COALESCE(MAX(id), 0) AS v FROM kine').get()!.v);
    const compactRev = Number(this.db.prepare('SELECT value AS v FROM kine_meta WHERE key = ?').get(COMPACT_REV)?.v ?? 0);
    // A compacted-away delete may have been the last write: its revision must still not be reused.
    const revision = Math.max(maxId, compactRev);
    const historyFloor = Math.max(compactRev, revision - historyCapacity);

    const current = this.db.prepare(
      `SELECT k.name, k.value, k.create_revision, k.id FROM kine AS k
       JOIN (SELECT name, MAX(id) AS id FROM kine GROUP BY name) AS latest ON k.id = latest.id
       WHERE k.deleted = 0 ORDER BY k.name`,
    );
    current.setReturnArrays(true);
    const entries: StoredEntry[] = [];
    const byKey = new Map<string, StoredEntry>();
    for (const row of current.iterate() as Iterable<unknown[]>) {
      const entry: StoredEntry = { key: row[0] as string, value: row[1] as string, createRevision: Number(row[2]), modRevision: Number(row[3]) };
      entries.push(entry);
      byKey.set(entry.key, entry);
    }
    // SQLite orders by UTF-8 bytes, the store by UTF-16 units; they differ only outside the BMP.
    if (!isSortedByKey(entries)) entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

    const rows = this.db.prepare(
      'SELECT id, name, deleted, create_revision, prev_revision, value, old_value FROM kine WHERE id > ? ORDER BY id',
    );
    rows.setReturnArrays(true);
    const history: HistoryRecord[] = [];
    // Share strings between history and current state instead of holding two copies of each.
    const lastSeen = new Map<string, { revision: number; value: string }>();
    for (const row of rows.iterate(historyFloor) as Iterable<unknown[]>) {
      const revision = Number(row[0]);
      const key = row[1] as string;
      const prevModRevision = Number(row[4]);
      const type: StorageEventType = row[2] ? 'DELETED' : prevModRevision === 0 ? 'ADDED' : 'MODIFIED';
      const live = byKey.get(key);
      const value = live && live.modRevision === revision ? live.value : (row[5] as string);
      const event: StorageEvent = { type, key, revision, value };
      if (type !== 'ADDED') {
        const seen = lastSeen.get(key);
        event.prevValue = seen && seen.revision === prevModRevision ? seen.value : (row[6] as string);
      }
      lastSeen.set(key, { revision, value });
      history.push({ event, createRevision: Number(row[3]), prevModRevision });
    }
    return { entries, history, revision, compactedRevision: historyFloor };
  }

  append(record: HistoryRecord): void {
    const e = record.event;
    this.#insert.run(e.revision, e.key, e.type === 'DELETED' ? 1 : 0, record.createRevision, record.prevModRevision, e.value, e.prevValue ?? null);
  }

  compact(revision: number): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.#deleteCompacted.run(revision);
      this.#setMeta.run(COMPACT_REV, revision);
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

function isSortedByKey(entries: readonly StoredEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (!(entries[i - 1].key < entries[i].key)) return false;
  return true;
}
