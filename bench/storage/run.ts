/**
 * Storage-layer throughput: single-object creates/s, updates/s, list of 10k ms, and RSS with 100k
 * 1 KiB objects, for the memory and SQLite backends.
 *
 *   node bench/storage/run.ts [--objects 100000] [--backend memory|sqlite|both]
 *
 * Each backend runs in a fresh child process so RSS numbers do not include the other backend.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMemoryStore } from '../../pkg/apiserver/storage/memory-store.ts';
import { createSqliteStore } from '../../pkg/apiserver/storage/sqlite-store.ts';
import type { Store } from '../../pkg/apiserver/storage/types.ts';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '100000' },
    backend: { type: 'string', default: 'both' },
    child: { type: 'boolean', default: false },
  },
});
const objects = Number(values.objects);

if (!values.child) {
  for (const backend of values.backend === 'both' ? ['memory', 'sqlite'] : [values.backend!]) {
    const out = execFileSync(process.execPath, ['--expose-gc', import.meta.filename, '--child', '--backend', backend, '--objects', String(objects)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(out);
  }
} else {
  runBackend(values.backend!);
}

function runBackend(backend: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'storage-bench-'));
  const store: Store = backend === 'sqlite' ? createSqliteStore({ path: join(dir, 'state.db') }) : createMemoryStore();
  const rssBefore = process.memoryUsage().rss;
  // ~1 KiB object serialised like the registry does (JSON.stringify yields a flat string, so the
  // RSS figure is honest: no rope sharing the filler between values).
  const filler = 'x'.repeat(900);
  const render = (name: string) => (rev: number) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'bench', resourceVersion: String(rev) }, data: { k: filler } });
  const keyOf = (i: number) => `/registry/configmaps/bench/cm-${String(i).padStart(7, '0')}`;

  let t = performance.now();
  for (let i = 0; i < objects; i++) store.create(keyOf(i), render(`cm-${i}`));
  const createsPerSec = objects / ((performance.now() - t) / 1000);
  globalThis.gc?.();
  const rssAfterCreates = process.memoryUsage().rss / 2 ** 20;

  const updates = Math.min(objects, 50_000);
  t = performance.now();
  for (let i = 0; i < updates; i++) {
    const key = keyOf(i);
    store.update(key, store.get(key)!.modRevision, render(`cm-${i}`));
  }
  const updatesPerSec = updates / ((performance.now() - t) / 1000);

  const runs = 20;
  t = performance.now();
  let listed = 0;
  for (let r = 0; r < runs; r++) listed = store.list('/registry/configmaps/bench/', { limit: 10_000, startAfter: keyOf(r * 1000) }).items.length;
  const listMs = (performance.now() - t) / runs;

  globalThis.gc?.();
  const rssAfterUpdates = process.memoryUsage().rss / 2 ** 20;

  let reopenMs = NaN;
  if (backend === 'sqlite') {
    store.close();
    t = performance.now();
    const reopened = createSqliteStore({ path: join(dir, 'state.db') });
    reopenMs = performance.now() - t;
    if (reopened.size !== objects) throw new Error(`reopen lost objects: ${reopened.size}`);
    reopened.close();
  } else {
    store.close();
  }
  rmSync(dir, { recursive: true, force: true });

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `${backend.padEnd(6)} objects=${fmt(objects)} creates/s=${fmt(createsPerSec)} updates/s=${fmt(updatesPerSec)} ` +
      `list-10k=${listMs.toFixed(1)}ms (${listed} items) rss: start ${(rssBefore / 2 ** 20).toFixed(0)}MiB, ` +
      `${fmt(objects)} objects ${rssAfterCreates.toFixed(0)}MiB, +${fmt(updates)} updates in history ${rssAfterUpdates.toFixed(0)}MiB` +
      (Number.isNaN(reopenMs) ? '' : ` reopen=${fmt(reopenMs)}ms`),
  );
}
