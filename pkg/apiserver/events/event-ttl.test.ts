import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore, type StorageEvent, type Store } from '../storage/index.ts';
import { EventTtlController } from './event-ttl.ts';

const prefix = '/registry/core/events/';
const log = pino({ level: 'silent' });
const eventJson = (name: string, extra: Record<string, unknown> = {}) => (rev: number) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default', resourceVersion: String(rev), ...extra }, reason: 'R' });

let store: Store;
let ttl: EventTtlController | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-05-01T12:00:00Z') });
  store = createMemoryStore();
});

afterEach(() => {
  ttl?.stop();
  ttl = undefined;
  store.close();
  vi.useRealTimers();
});

function startTtl(ttlMs: number, batchSize?: number): EventTtlController {
  ttl = new EventTtlController({ store, prefix, ttlMs, log, clock: () => Date.now(), batchSize });
  ttl.start();
  return ttl;
}

describe('EventTtlController', () => {
  it('deletes an event a TTL after its last write; each write renews it', () => {
    startTtl(10_000);
    store.create(`${prefix}default/a`, eventJson('a'));
    const b = store.create(`${prefix}default/b`, eventJson('b'));
    vi.advanceTimersByTime(6_000);
    store.update(`${prefix}default/b`, b.modRevision, eventJson('b', { labels: { x: 'y' } }));
    vi.advanceTimersByTime(4_001);
    expect(store.get(`${prefix}default/a`)).toBeUndefined();
    expect(store.get(`${prefix}default/b`)).toBeDefined();
    vi.advanceTimersByTime(6_000);
    expect(store.get(`${prefix}default/b`)).toBeUndefined();
    expect(ttl!.tracked).toBe(0);
  });

  it('watchers see DELETED with the object and a new resourceVersion', () => {
    startTtl(1_000);
    store.create(`${prefix}default/a`, eventJson('a'));
    const seen: StorageEvent[] = [];
    store.watch(prefix, store.revision, (e) => seen.push(e));
    vi.advanceTimersByTime(1_001);
    expect(seen.map((e) => e.type)).toEqual(['DELETED']);
    expect(JSON.parse(seen[0].value)).toMatchObject({ metadata: { name: 'a', resourceVersion: String(seen[0].revision) } });
  });

  it('never touches keys outside the events prefix', () => {
    startTtl(1_000);
    store.create('/registry/core/configmaps/default/c', (rev) => JSON.stringify({ metadata: { name: 'c', resourceVersion: String(rev) } }));
    store.create('/registry/example.com/events/default/x', (rev) => JSON.stringify({ metadata: { name: 'x', resourceVersion: String(rev) } }));
    vi.advanceTimersByTime(5_000);
    expect(store.count('/registry/')).toBe(2);
    expect(ttl!.tracked).toBe(0);
  });

  it('a deleted event is forgotten', () => {
    startTtl(1_000);
    store.create(`${prefix}default/a`, eventJson('a'));
    store.delete(`${prefix}default/a`, undefined, eventJson('a'));
    expect(ttl!.tracked).toBe(0);
  });

  it('on start, deadlines come from the stored events: expired ones go at once, others at their time', () => {
    const ttlMs = 60_000;
    // Written 2 minutes ago (expired) and 30 s ago (30 s left), as their timestamps say.
    store.create(`${prefix}default/old`, eventJson('old', { creationTimestamp: '2026-05-01T11:58:00Z' }));
    store.create(`${prefix}default/recent`, eventJson('recent', { creationTimestamp: '2026-05-01T11:59:30Z' }));
    const controller = startTtl(ttlMs);
    expect(controller.deadlineOf(`${prefix}default/recent`)).toBe(Date.parse('2026-05-01T11:59:30Z') + 999 + ttlMs);
    vi.advanceTimersByTime(0);
    expect(store.get(`${prefix}default/old`)).toBeUndefined();
    expect(store.get(`${prefix}default/recent`)).toBeDefined();
    // 11:59:30 is read as the end of that second: the deadline is 12:00:30.999.
    vi.advanceTimersByTime(30_998);
    expect(store.get(`${prefix}default/recent`)).toBeDefined();
    vi.advanceTimersByTime(1);
    expect(store.get(`${prefix}default/recent`)).toBeUndefined();
  });

  it('a mass expiry is spread over event-loop turns in batches', () => {
    for (let i = 0; i < 25; i++) store.create(`${prefix}default/e${i}`, eventJson(`e${i}`, { creationTimestamp: '2026-05-01T10:00:00Z' }));
    startTtl(1_000, 10);
    vi.advanceTimersByTime(0);
    expect(store.count(prefix)).toBe(15);
    vi.runOnlyPendingTimers();
    vi.runOnlyPendingTimers();
    expect(store.count(prefix)).toBe(0);
  });

  it('stop() ends expiry', () => {
    startTtl(1_000);
    store.create(`${prefix}default/a`, eventJson('a'));
    ttl!.stop();
    vi.advanceTimersByTime(5_000);
    expect(store.get(`${prefix}default/a`)).toBeDefined();
  });
});
