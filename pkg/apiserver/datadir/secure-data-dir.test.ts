import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secureDatabaseCompanions, secureDataDir } from './secure-data-dir.ts';

let root: string;
const mode = async (path: string) => `0${((await stat(path)).mode & 0o777).toString(8)}`;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kuscia-datadir-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('secureDataDir', () => {
  it('creates a missing data dir 0700 and an empty SQLite database 0600', async () => {
    const dir = join(root, 'data');
    expect(await secureDataDir(dir, { sqlite: true })).toEqual([]);
    expect(await mode(dir)).toBe('0700');
    expect(await mode(join(dir, 'state.db'))).toBe('0600');
    expect((await stat(join(dir, 'state.db'))).size).toBe(0);
  });

  it('narrows what pre-exists with wider modes and reports each path', async () => {
    const dir = join(root, 'data');
    await mkdir(join(dir, 'pki'), { recursive: true });
    const files = { 'pki/ca.key': 0o644, 'pki/sa.key': 0o640, 'pki/ca.crt': 0o644, 'kubeconfig.yaml': 0o644, 'state.db': 0o666, 'state.db-wal': 0o644, 'other.txt': 0o644 };
    for (const [name, m] of Object.entries(files)) {
      await writeFile(join(dir, name), 'x');
      await chmod(join(dir, name), m);
    }
    await chmod(join(dir, 'pki'), 0o755);
    await chmod(dir, 0o755);

    const fixed = await secureDataDir(dir, { sqlite: true });
    expect(fixed.map((f) => [f.path.slice(dir.length), f.was, f.now]).sort()).toEqual(
      [
        ['', '0755', '0700'],
        ['/pki', '0755', '0700'],
        ['/pki/ca.key', '0644', '0600'],
        ['/pki/sa.key', '0640', '0600'],
        ['/kubeconfig.yaml', '0644', '0600'],
        ['/state.db', '0666', '0600'],
        ['/state.db-wal', '0644', '0600'],
      ].sort(),
    );
    expect(await mode(join(dir, 'pki/ca.crt'))).toBe('0644'); // certificates are public
    expect(await mode(join(dir, 'other.txt'))).toBe('0644'); // not ours
    expect(await secureDataDir(dir, { sqlite: true })).toEqual([]); // idempotent
  });

  it('leaves an already stricter mode alone', async () => {
    const dir = join(root, 'data');
    await mkdir(join(dir, 'pki'), { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'pki/ca.key'), 'x', { mode: 0o400 });
    expect(await secureDataDir(dir, { sqlite: false })).toEqual([]);
    expect(await mode(join(dir, 'pki/ca.key'))).toBe('0400');
  });

  it('memory storage creates no database file', async () => {
    const dir = join(root, 'data');
    await secureDataDir(dir, { sqlite: false });
    await expect(stat(join(dir, 'state.db'))).rejects.toThrow(/ENOENT/);
  });

  it('secureDatabaseCompanions narrows the lock file the store wrote with the umask', async () => {
    const dir = join(root, 'data');
    await mkdir(dir);
    await writeFile(join(dir, 'state.db.lock'), '123\n', { mode: 0o644 });
    await secureDatabaseCompanions(dir);
    expect(await mode(join(dir, 'state.db.lock'))).toBe('0600');
  });
});
