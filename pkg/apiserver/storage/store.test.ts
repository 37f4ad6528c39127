import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseLockedError } from './file-lock.ts';
import { createMemoryStore } from './memory-store.ts';
import type { StoreCoreOptions } from './revisioned-store.ts';
import { createSqliteStore } from './sqlite-store.ts';
import {
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  RevisionTooLargeError,
  TooOldError,
  type StorageEvent,
  type Store,
} from './types.ts';

/** Renders a tiny object whose resourceVersion is the write's revision, like the registry does. */
const obj = (name: string, extra: Record<string, unknown> = {}) => (rev: number) =>
  JSON.stringify({ metadata: { name, resourceVersion: String(rev) }, ...extra });
const rvOf = (value: string) => Number(JSON.parse(value).metadata.resourceVersion);

interface Backend {
  name: string;
  open(opts?: StoreCoreOptions): Store;
  /** Close and open the same data again; undefined for non-persistent backends. */
  reopen?(store: Store, opts?: StoreCoreOptions): Store;
}

const tempDirs: string[] = [];
const openStores: Store[] = [];
afterEach(() => {
  for (const s of openStores.splice(0)) s.close();
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const track = (s: Store) => (openStores.push(s), s);

const backends: Backend[] = [
  { name: 'memory', open: (opts) => track(createMemoryStore(opts)) },
  (() => {
    let path = '';
    return {
      name: 'sqlite',
      open: (opts?: StoreCoreOptions) => {
        const dir = mkdtempSync(join(tmpdir(), 'kuscia-store-'));
        tempDirs.push(dir);
        path = join(dir, 'state.db');
        return track(createSqliteStore({ path, ...opts }));
      },
      reopen: (store: Store, opts?: StoreCoreOptions) => {
        store.close();
        return track(createSqliteStore({ path, ...opts }));
      },
    };
  })(),
];

describe.each(backends)('$name store', (backend) => {
  it('starts at revision 0 and gives each write the next revision', () => {
    const s = backend.open();
    expect([s.revision, s.compactedRevision, s.size]).toEqual([0, 0, 0]);
    const a = s.create('/r/a', obj('a'));
    expect(a).toMatchObject({ key: '/r/a', createRevision: 1, modRevision: 1 });
    expect(rvOf(a.value)).toBe(1);
    const a2 = s.update('/r/a', 1, obj('a', { v: 2 }));
    expect(a2).toMatchObject({ createRevision: 1, modRevision: 2 });
    const del = s.delete('/r/a', undefined, obj('a'));
    expect(del).toMatchObject({ type: 'DELETED', key: '/r/a', revision: 3, prevValue: a2.value });
    expect(rvOf(del.value)).toBe(3);
    expect(s.get('/r/a')).toBeUndefined();
    const again = s.create('/r/a', obj('a'));
    expect(again).toMatchObject({ createRevision: 4, modRevision: 4 });
    expect([s.revision, s.size]).toEqual([4, 1]);
  });

  it('rejects conflicting writes without consuming a revision', () => {
    const s = backend.open();
    s.create('/r/a', obj('a'));
    s.update('/r/a', 1, obj('a'));
    expect(() => s.create('/r/a', obj('a'))).toThrow(KeyExistsError);
    const mismatch = (() => {
      try {
        s.update('/r/a', 1, obj('a'));
      } catch (e) {
        return e;
      }
    })();
    expect(mismatch).toBeInstanceOf(RevisionMismatchError);
    expect(mismatch).toMatchObject({ key: '/r/a', expected: 1, actual: 2 });
    expect(() => s.delete('/r/a', 1, obj('a'))).toThrow(RevisionMismatchError);
    expect(() => s.update('/r/missing', 1, obj('x'))).toThrow(KeyNotFoundError);
    expect(() => s.delete('/r/missing', undefined, obj('x'))).toThrow(KeyNotFoundError);
    expect(() =>
      s.create('/r/b', () => {
        throw new Error('render failed');
      }),
    ).toThrow('render failed');
    expect(s.get('/r/b')).toBeUndefined();
    expect(s.revision).toBe(2);
    expect(s.get('/r/a')!.modRevision).toBe(2);
  });

  it('lists a prefix in key order, isolated from longer prefixes, with paging and filters', () => {
    const s = backend.open();
    const names = ['m', 'c', 'x', 'a', 'k', 'b', 'z', 'd'];
    for (const n of names) s.create(`/registry/pods/a/${n}`, obj(n, { even: n.charCodeAt(0) % 2 === 0 }));
    s.create('/registry/pods/ab/x', obj('x'));
    s.create('/registry/pods/0', obj('0'));
    const all = s.list('/registry/pods/a/');
    expect(all.items.map((e) => e.key)).toEqual([...names].sort().map((n) => `/registry/pods/a/${n}`));
    expect(all).toMatchObject({ revision: 10, more: false, remaining: 0 });
    expect(s.count('/registry/pods/a/')).toBe(8);
    expect(s.count('/registry/pods/')).toBe(10);

    const seen: string[] = [];
    let page = s.list('/registry/pods/a/', { limit: 3 });
    expect(page).toMatchObject({ more: true, remaining: 5 });
    for (;;) {
      seen.push(...page.items.map((e) => e.key));
      if (!page.more) break;
      page = s.list('/registry/pods/a/', { limit: 3, startAfter: page.items.at(-1)!.key });
    }
    expect(seen).toEqual(all.items.map((e) => e.key));

    // Filtered-out entries do not count against the limit.
    const even = s.list('/registry/pods/a/', { limit: 2, filter: (e) => JSON.parse(e.value).even });
    expect(even.items.map((e) => e.key)).toEqual(['/registry/pods/a/b', '/registry/pods/a/d']);
    expect(even.more).toBe(true);
    // startAfter before the prefix starts at the prefix.
    expect(s.list('/registry/pods/a/', { startAfter: '/registry/pods/', limit: 1 }).items[0].key).toBe('/registry/pods/a/a');
  });

  it('lists the state as of an older revision after updates, deletes and creates', () => {
    const s = backend.open();
    for (const n of ['a', 'b', 'c', 'd']) s.create(`/r/${n}`, obj(n));
    s.create('/other/a', obj('a'));
    const snapshot = s.list('/r/');
    const at = s.revision;
    s.update('/r/b', 2, obj('b', { v: 2 }));
    s.delete('/r/c', undefined, obj('c'));
    s.create('/r/bb', obj('bb'));
    s.create('/r/e', obj('e'));
    s.update('/r/b', s.get('/r/b')!.modRevision, obj('b', { v: 3 }));
    s.delete('/r/a', undefined, obj('a'));

    const old = s.list('/r/', { atRevision: at });
    expect(old.revision).toBe(at);
    expect(old.items).toEqual(snapshot.items);

    // Consistent paging at the old revision while the current state differs.
    const page1 = s.list('/r/', { atRevision: at, limit: 2 });
    expect(page1.items.map((e) => e.key)).toEqual(['/r/a', '/r/b']);
    expect(page1).toMatchObject({ more: true, remaining: 2 });
    const page2 = s.list('/r/', { atRevision: at, limit: 2, startAfter: '/r/b' });
    expect(page2.items).toEqual(snapshot.items.slice(2));
    expect(page2.more).toBe(false);

    expect(() => s.list('/r/', { atRevision: s.revision + 1 })).toThrow(RevisionTooLargeError);
  });

  it('replays history then streams live events for a prefix only', () => {
    const s = backend.open();
    s.create('/registry/pods/a/one', obj('one'));
    s.create('/registry/pods/ab/x', obj('x'));
    s.update('/registry/pods/a/one', 1, obj('one', { v: 2 }));
    const got: StorageEvent[] = [];
    const handle = s.watch('/registry/pods/a/', 0, (e) => got.push(e));
    // Replay happened synchronously, before watch() returned.
    expect(got.map((e) => [e.type, e.revision])).toEqual([
      ['ADDED', 1],
      ['MODIFIED', 3],
    ]);
    expect(got[1].prevValue).toBe(got[0].value);
    s.create('/registry/pods/ab/y', obj('y'));
    s.create('/registry/pods/a/two', obj('two'));
    const before = s.get('/registry/pods/a/one')!.value;
    s.delete('/registry/pods/a/one', undefined, obj('one'));
    expect(got.map((e) => [e.type, e.key, e.revision])).toEqual([
      ['ADDED', '/registry/pods/a/one', 1],
      ['MODIFIED', '/registry/pods/a/one', 3],
      ['ADDED', '/registry/pods/a/two', 5],
      ['DELETED', '/registry/pods/a/one', 6],
    ]);
    expect(got[3].prevValue).toBe(before);
    expect(rvOf(got[3].value)).toBe(6);

    const fromMiddle: number[] = [];
    s.watch('/registry/pods/', 3, (e) => fromMiddle.push(e.revision)).stop();
    expect(fromMiddle).toEqual([4, 5, 6]);

    handle.stop();
    s.create('/registry/pods/a/three', obj('three'));
    expect(got).toHaveLength(4);
  });

  it('sends one event object to every matching watcher, in order, even when a watcher throws or writes', () => {
    const errors: unknown[] = [];
    const s = backend.open({ onWatcherError: (err) => errors.push(err) });
    const a: StorageEvent[] = [];
    const b: StorageEvent[] = [];
    const c: number[] = [];
    s.watch('/r/', 0, (e) => a.push(e));
    s.watch('/r/', 0, () => {
      throw new Error('bad watcher');
    });
    s.watch('/r/x', 0, (e) => {
      b.push(e);
      // Re-entrant write from inside a callback must not overtake the event being delivered.
      if (e.key === '/r/x1') s.create('/r/y', obj('y'));
    });
    s.watch('/', 0, (e) => c.push(e.revision));
    s.create('/r/x1', obj('x1'));
    s.create('/r/z', obj('z'));
    expect(a.map((e) => e.key)).toEqual(['/r/x1', '/r/y', '/r/z']);
    expect(c).toEqual([1, 2, 3]);
    expect(b.map((e) => e.key)).toEqual(['/r/x1']);
    expect(b[0]).toBe(a[0]);
    expect(errors).toHaveLength(3);
  });

  it('delivers each event exactly once to a watch started from inside another watcher callback', () => {
    const s = backend.open();
    const inner: number[] = [];
    s.watch('/r/', 0, (e) => {
      if (e.revision === 1) {
        s.create('/r/b', obj('b')); // queued behind the event being delivered
        s.watch('/r/', 0, (x) => inner.push(x.revision));
      }
    });
    s.create('/r/a', obj('a'));
    s.create('/r/c', obj('c'));
    expect(inner).toEqual([1, 2, 3]);
  });

  it('answers 410 (TooOldError) for watches and lists older than the compacted revision', () => {
    const s = backend.open();
    for (let i = 0; i < 5; i++) s.create(`/r/${i}`, obj(String(i)));
    s.update('/r/0', 1, obj('0', { v: 2 }));
    s.compact(4);
    expect(s.compactedRevision).toBe(4);
    expect(() => s.watch('/r/', 3, () => {})).toThrow(TooOldError);
    expect(() => s.list('/r/', { atRevision: 3 })).toThrow(TooOldError);
    const replay: number[] = [];
    s.watch('/r/', 4, (e) => replay.push(e.revision));
    expect(replay).toEqual([5, 6]);
    expect(s.list('/r/', { atRevision: 4 }).items.map((e) => e.key)).toEqual(['/r/0', '/r/1', '/r/2', '/r/3']);
    expect(s.list('/r/').items).toHaveLength(5);
    s.compact(1000); // bounded by the current revision
    expect(s.compactedRevision).toBe(6);
    s.compact(2); // never goes back
    expect(s.compactedRevision).toBe(6);
  });

  it('drops the oldest events beyond the history capacity and reports them as compacted', () => {
    const s = backend.open({ historyCapacity: 3 });
    for (let i = 0; i < 5; i++) s.create(`/r/${i}`, obj(String(i)));
    expect(s.compactedRevision).toBe(2);
    expect(() => s.watch('/r/', 1, () => {})).toThrow(TooOldError);
    const replay: number[] = [];
    s.watch('/r/', 2, (e) => replay.push(e.revision));
    expect(replay).toEqual([3, 4, 5]);
    expect(s.size).toBe(5);
  });

  it.runIf(backend.reopen)('keeps state, history and revisions across a restart', () => {
    let s = backend.open();
    s.create('/r/a', obj('a'));
    s.create('/r/b', obj('b'));
    s.update('/r/a', 1, obj('a', { v: 2 }));
    s.delete('/r/b', undefined, obj('b')); // revision 4: the last write is a delete
    const before = s.list('/r/');
    s = backend.reopen!(s);
    expect(s.revision).toBe(4);
    expect(s.list('/r/')).toEqual(before);
    const replay: StorageEvent[] = [];
    s.watch('/r/', 0, (e) => replay.push(e));
    expect(replay.map((e) => [e.type, e.key, e.revision])).toEqual([
      ['ADDED', '/r/a', 1],
      ['ADDED', '/r/b', 2],
      ['MODIFIED', '/r/a', 3],
      ['DELETED', '/r/b', 4],
    ]);
    expect(replay[3].prevValue).toBe(replay[1].value);
    expect(s.list('/r/', { atRevision: 2 }).items.map((e) => e.key)).toEqual(['/r/a', '/r/b']);
    expect(s.create('/r/c', obj('c')).modRevision).toBe(5);
  });

  it.runIf(backend.reopen)('persists compaction: live keys survive, older revisions stay gone, revision is not reused', () => {
    let s = backend.open();
    s.create('/r/a', obj('a'));
    s.create('/r/b', obj('b'));
    s.update('/r/a', 1, obj('a', { v: 2 }));
    s.create('/r/c', obj('c'));
    s.delete('/r/c', undefined, obj('c'));
    s.compact(5);
    s = backend.reopen!(s);
    expect(s.revision).toBe(5);
    expect(s.compactedRevision).toBe(5);
    expect(s.list('/r/').items.map((e) => [e.key, e.modRevision, e.createRevision])).toEqual([
      ['/r/a', 3, 1],
      ['/r/b', 2, 2],
    ]);
    expect(() => s.watch('/r/', 4, () => {})).toThrow(TooOldError);
    expect(s.create('/r/d', obj('d')).modRevision).toBe(6);
  });

  it.runIf(backend.reopen)('refuses a second open of the same database while it is open', () => {
    const s = backend.open();
    s.create('/r/a', obj('a'));
    expect(() => backend.reopen!({ close() {} } as Store)).toThrow(DatabaseLockedError);
    // The failed open must not have released the holder's lock.
    expect(() => backend.reopen!({ close() {} } as Store)).toThrow(DatabaseLockedError);
    expect(backend.reopen!(s).get('/r/a')).toBeDefined();
  });
});
