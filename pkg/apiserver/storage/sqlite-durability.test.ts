import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseLockedError } from './file-lock.ts';
import { createSqliteStore } from './sqlite-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('sqlite store durability', () => {
  it('keeps every acknowledged write after kill -9 and takes over the dead writer lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuscia-crash-'));
    dirs.push(dir);
    const path = join(dir, 'state.db');
    const child = spawn(process.execPath, [join(import.meta.dirname, 'testdata', 'crash-writer.ts'), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked = new Map<string, number>();
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let lockedWhileRunning: unknown;
    try {
      const lines = createInterface({ input: child.stdout });
      for await (const line of lines) {
        if (line === 'ready') {
          // While the writer lives, nobody else may open the database.
          try {
            createSqliteStore({ path }).close();
          } catch (err) {
            lockedWhileRunning = err;
          }
          continue;
        }
        const [key, rev] = line.split(' ');
        acked.set(key, Number(rev));
        if (acked.size === 3000) child.kill('SIGKILL'); // mid-stream: the child is still writing
      }
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    expect(lockedWhileRunning).toBeInstanceOf(DatabaseLockedError);
    expect(acked.size).toBeGreaterThanOrEqual(3000);
    // The dead writer's lock file is still there; opening must treat it as stale.
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(child.pid));

    const store = createSqliteStore({ path });
    try {
      for (const [key, rev] of acked) {
        const entry = store.get(key);
        expect(entry, key).toBeDefined();
        expect(entry!.modRevision).toBe(rev);
        expect(JSON.parse(entry!.value).metadata.resourceVersion).toBe(String(rev));
      }
      const maxAcked = Math.max(...acked.values());
      expect(store.revision).toBeGreaterThanOrEqual(maxAcked);
      // Revisions keep going from the highest persisted one.
      expect(store.create('/registry/configmaps/crash/after', () => '{}').modRevision).toBe(store.revision);
      expect(store.revision).toBeGreaterThan(maxAcked);
      expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(process.pid));
    } finally {
      store.close();
    }
    expect(existsSync(`${path}.lock`)).toBe(false);
  }, 30_000);
});
