import { chmod, mkdir, open, stat } from 'node:fs/promises';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** A path whose permissions were narrowed because group or others had access. */
export interface TightenedPath {
  path: string;
  /** The mode it had, e.g. "0644". */
  was: string;
  /** The mode it has now. */
  now: string;
}

/**
 * Narrows `path` to `mode` when group or others have any access; returns what changed, or
 * undefined when the path is missing or already private. Owner bits are left alone otherwise
 * (a 0400 key stays 0400).
 */
export async function tightenMode(path: string, mode: number): Promise<TightenedPath | undefined> {
  let current: number;
  try {
    current = (await stat(path)).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if ((current & 0o077) === 0) return undefined;
  await chmod(path, mode);
  return { path, was: octal(current), now: octal(mode) };
}

/** Creates the directory owner-only, or narrows an existing one. */
export async function ensurePrivateDirectory(path: string): Promise<TightenedPath | undefined> {
  // mkdir's mode applies only to a directory it creates (and is masked by the umask).
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  return tightenMode(path, PRIVATE_DIR_MODE);
}

/**
 * Creates an empty owner-only file if `path` does not exist yet. For SQLite this matters: it
 * creates the database with the process umask (usually 0644), and gives its -wal/-shm files the
 * database file's mode, so a database that starts life 0600 keeps all its files 0600.
 */
export async function createPrivateFileIfMissing(path: string): Promise<void> {
  try {
    const handle = await open(path, 'wx', PRIVATE_FILE_MODE);
    await handle.close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
