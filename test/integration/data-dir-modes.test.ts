import { chmod, mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';

/** What an operator's `ls -l` would show: nothing secret readable by other users. */
let dataDir: string;
const mode = async (path: string) => `0${((await stat(path)).mode & 0o777).toString(8)}`;

afterAll(async () => {
  if (dataDir) await removeDir(dataDir);
});

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

async function privateModes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = { '.': await mode(dir), pki: await mode(join(dir, 'pki')), 'kubeconfig.yaml': await mode(join(dir, 'kubeconfig.yaml')) };
  for (const name of await readdir(join(dir, 'pki'))) if (name.endsWith('.key')) out[`pki/${name}`] = await mode(join(dir, 'pki', name));
  for (const name of await readdir(dir)) if (name.startsWith('state.db')) out[name] = await mode(join(dir, name));
  return out;
}

describe('data directory permissions', () => {
  it('a fresh data dir is 0700 with keys, kubeconfig and database files 0600', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kuscia-modes-'));
    await chmod(dataDir, 0o755); // mkdtemp makes it 0700; start from what `mkdir` would give
    const server = await startApiServer({ dataDir, storage: 'sqlite', port: 0, logger: pino({ level: 'silent' }) });
    try {
      const modes = await privateModes(dataDir);
      expect(Object.keys(modes)).toEqual(expect.arrayContaining(['pki/ca.key', 'pki/apiserver.key', 'pki/admin.key', 'state.db', 'state.db-wal', 'state.db.lock']));
      for (const [path, m] of Object.entries(modes)) expect([path, m]).toEqual([path, path === '.' || path === 'pki' ? '0700' : '0600']);
    } finally {
      await server.stop();
    }
  });

  it('pre-existing wider modes are narrowed on start, each with a warning', async () => {
    const widened = ['pki/ca.key', 'pki/admin.key', 'kubeconfig.yaml', 'state.db'];
    await chmod(dataDir, 0o755);
    await chmod(join(dataDir, 'pki'), 0o755);
    for (const name of widened) await chmod(join(dataDir, name), 0o644);

    const { logger, lines } = capturingLogger();
    const server = await startApiServer({ dataDir, storage: 'sqlite', port: 0, logger });
    try {
      for (const [path, m] of Object.entries(await privateModes(dataDir))) expect([path, m]).toEqual([path, path === '.' || path === 'pki' ? '0700' : '0600']);
      const warned = lines.filter((l) => l['msg'] === 'private file or directory was accessible to other users; permissions narrowed');
      expect(warned.map((l) => String(l['path']).slice(dataDir.length)).sort()).toEqual(['', '/pki', ...widened.map((n) => `/${n}`)].sort());
      expect(warned.every((l) => l['level'] === 40 && l['now'] !== undefined && l['mode'] !== undefined)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
