import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { StorageError } from './types.ts';

/** Another live process (or another store in this one) holds the database. */
export class DatabaseLockedError extends StorageError {
  readonly lockPath: string;
  readonly pid: number;
  constructor(lockPath: string, pid: number) {
    super(`database is locked by process ${pid} (lock file ${lockPath})`);
    this.lockPath = lockPath;
    this.pid = pid;
  }
}

export interface FileLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes an exclusive lock file containing our pid. A lock left behind by a dead process (kill -9,
 * crash) is stale and is taken over. A pid reused by an unrelated live process would wrongly
 * look alive; the SQLite backend therefore also holds SQLite's own exclusive lock, which the OS
 * releases when the holder dies.
 */
export function acquireFileLock(path: string): FileLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return { path, release: () => releaseIfOurs(path) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(path);
    if (holder !== undefined && (holder === process.pid || isAlive(holder))) throw new DatabaseLockedError(path, holder);
    removeQuietly(path); // stale (dead holder, or unreadable/empty file from a crash mid-write)
  }
  throw new StorageError(`could not acquire lock file ${path}`);
}

function readHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function releaseIfOurs(path: string): void {
  if (readHolder(path) === process.pid) removeQuietly(path);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
