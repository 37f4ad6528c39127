import { acquireFileLock } from './file-lock.ts';
import { DEFAULT_HISTORY_CAPACITY, RevisionedStore, type StoreCoreOptions } from './revisioned-store.ts';
import { SqliteLog } from './sqlite-log.ts';

export interface SqliteStoreOptions extends StoreCoreOptions {
  /** Database file; `<path>.lock` holds the pid of the process that has it open. */
  path: string;
  /** Pages of WAL before an automatic checkpoint (default 4000 ≈ 16 MiB). */
  walAutocheckpointPages?: number;
}

/**
 * Opens (or creates) a SQLite-backed store. Every write is its own transaction, committed before
 * the method returns (WAL, synchronous=NORMAL: survives kill -9 of the process; power loss may
 * lose the last transactions). The whole current state and the retained history are loaded into
 * memory on open; reads never touch the database.
 *
 * Throws DatabaseLockedError when another live process (or another store in this process) holds
 * the database.
 */
export function createSqliteStore(options: SqliteStoreOptions): RevisionedStore {
  const lock = acquireFileLock(`${options.path}.lock`);
  let log: SqliteLog | undefined;
  try {
    log = new SqliteLog({ path: options.path, walAutocheckpointPages: options.walAutocheckpointPages });
    const initial = log.load(options.historyCapacity ?? DEFAULT_HISTORY_CAPACITY);
    const opened = log;
    return new RevisionedStore(options, {
      append: (record) => opened.append(record),
      compact: (revision) => opened.compact(revision),
      close: () => {
        try {
          opened.close();
        } finally {
          lock.release();
        }
      },
    }, initial);
  } catch (err) {
    log?.close();
    lock.release();
    throw err;
  }
}
