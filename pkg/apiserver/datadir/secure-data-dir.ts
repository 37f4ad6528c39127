import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createPrivateFileIfMissing, ensurePrivateDirectory, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenMode, type TightenedPath } from './private-files.ts';

/** Where the server keeps what must stay private inside its data directory. */
export const DATA_DIR_LAYOUT = {
  pkiDir: 'pki',
  kubeconfig: 'kubeconfig.yaml',
  database: 'state.db',
} as const;

/** SQLite's companions of the database file, plus the store's pid lock. */
const databaseCompanions = ['-wal', '-shm', '-journal', '.lock'];

/**
 * Makes the data directory owner-only before anything is read from or written to it: the
 * directory and pki/ 0700; private keys (pki/*.key), the admin kubeconfig (it embeds the admin key)
 * and the database files 0600. Paths that already existed with wider permissions are narrowed and
 * returned, so the caller can warn that they were exposed. With SQLite storage, the database file
 * is created 0600 here (empty: SQLite initialises it) so its WAL files inherit that mode.
 */
export async function secureDataDir(dataDir: string, opts: { sqlite: boolean }): Promise<TightenedPath[]> {
  const fixed: TightenedPath[] = [];
  const note = (t: TightenedPath | undefined) => {
    if (t) fixed.push(t);
  };
  note(await ensurePrivateDirectory(dataDir));
  const pkiDir = join(dataDir, DATA_DIR_LAYOUT.pkiDir);
  note(await tightenMode(pkiDir, PRIVATE_DIR_MODE));
  for (const key of await keyFiles(pkiDir)) note(await tightenMode(key, PRIVATE_FILE_MODE));
  note(await tightenMode(join(dataDir, DATA_DIR_LAYOUT.kubeconfig), PRIVATE_FILE_MODE));
  const database = join(dataDir, DATA_DIR_LAYOUT.database);
  for (const path of [database, ...databaseCompanions.map((suffix) => database + suffix)]) note(await tightenMode(path, PRIVATE_FILE_MODE));
  if (opts.sqlite) await createPrivateFileIfMissing(database);
  return fixed;
}

/**
 * After the store opened: files it created itself (the pid lock is written with the umask). Not
 * reported: they were never exposed with anything but a pid in them.
 */
export async function secureDatabaseCompanions(dataDir: string): Promise<void> {
  const database = join(dataDir, DATA_DIR_LAYOUT.database);
  for (const suffix of databaseCompanions) await tightenMode(database + suffix, PRIVATE_FILE_MODE);
}

async function keyFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.key')).map((name) => join(dir, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
