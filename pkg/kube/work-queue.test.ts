import { describe, expect, it } from 'vitest';
import { BucketRateLimiter, ItemExponentialRateLimiter, MaxOfRateLimiter } from './rate-limiter.ts';
import { RateLimitingQueue } from './work-queue.ts';

const noDelay = { when: () => 0, forget: () => {}, numRequeues: () => 0 };

describe('RateLimitingQueue', () => {
  it('hands out a key once however often it was added while queued', async () => {
    const q = new RateLimitingQueue(noDelay);
    q.add('ns/a');
    q.add('ns/b');
    q.add('ns/a');
    expect(q.length).toBe(2);
    expect((await q.get()).key).toBe('ns/a');
    expect((await q.get()).key).toBe('ns/b');
    expect(q.length).toBe(0);
  });

  it('never gives a key being processed to a second worker, and requeues it on done when re-added', async () => {
    const q = new RateLimitingQueue(noDelay);
    q.add('ns/a');
    const first = await q.get();
    q.add('ns/a'); // changed while being reconciled
    expect(q.length).toBe(0);
    let second: string | undefined;
    void q.get().then((i) => (second = i.key));
    await new Promise((r) => setImmediate(r));
    expect(second).toBeUndefined();
    q.done(first.key);
    await new Promise((r) => setImmediate(r));
    expect(second).toBe('ns/a');
  });

  it('does not requeue a processed key that was not added again', async () => {
    const q = new RateLimitingQueue(noDelay);
    q.add('ns/a');
    q.done((await q.get()).key);
    expect(q.length).toBe(0);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const q = new RateLimitingQueue(noDelay);
    const pending = q.get();
    q.add('ns/late');
    expect(await pending).toEqual({ key: 'ns/late', shutdown: false });
  });

  it('backs off exponentially per key and forget resets it', async () => {
    const limiter = new ItemExponentialRateLimiter(5, 1_000_000);
    expect([1, 2, 3, 4].map(() => limiter.when('k'))).toEqual([5, 10, 20, 40]);
    expect(limiter.numRequeues('k')).toBe(4);
    expect(limiter.when('other')).toBe(5);
    limiter.forget('k');
    expect(limiter.numRequeues('k')).toBe(0);
    expect(limiter.when('k')).toBe(5);
    const capped = new ItemExponentialRateLimiter(5, 1_000_000);
    for (let i = 0; i < 40; i++) capped.when('k');
    expect(capped.when('k')).toBe(1_000_000);
  });

  it('the overall bucket spreads out retries once its burst is spent', () => {
    let now = 0;
    const bucket = new BucketRateLimiter(10, 2, () => now);
    expect([bucket.when(), bucket.when(), bucket.when(), bucket.when()]).toEqual([0, 0, 100, 200]);
    now = 1000; // ten tokens refilled, two were owed
    expect(bucket.when()).toBe(0);
    const max = new MaxOfRateLimiter(new ItemExponentialRateLimiter(5, 1000), new BucketRateLimiter(10, 1, () => now));
    expect(max.when('k')).toBe(5);
    expect(max.when('k')).toBe(100);
  });

  it('addRateLimited delays the key by its backoff', async () => {
    const q = new RateLimitingQueue(new ItemExponentialRateLimiter(40, 1000));
    const started = Date.now();
    q.addRateLimited('ns/a');
    expect(q.length).toBe(0);
    expect((await q.get()).key).toBe('ns/a');
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(q.numRequeues('ns/a')).toBe(1);
    q.forget('ns/a');
    expect(q.numRequeues('ns/a')).toBe(0);
  });

  it('addAfter keeps the earliest due time for a key', async () => {
    const q = new RateLimitingQueue(noDelay);
    q.addAfter('ns/a', 10_000);
    q.addAfter('ns/a', 20);
    const started = Date.now();
    expect((await q.get()).key).toBe('ns/a');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('shutDown releases waiting workers, hands out what is left, then refuses new keys', async () => {
    const q = new RateLimitingQueue(noDelay);
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toEqual({ key: '', shutdown: true });

    const q2 = new RateLimitingQueue(noDelay);
    q2.add('ns/left');
    q2.addAfter('ns/retry', 10);
    q2.shutDown();
    q2.add('ns/new');
    expect(await q2.get()).toEqual({ key: 'ns/left', shutdown: false });
    expect(await q2.get()).toEqual({ key: '', shutdown: true });
  });

  it('shutDownWithDrain waits for keys in processing', async () => {
    const q = new RateLimitingQueue(noDelay);
    q.add('ns/a');
    const item = await q.get();
    let drained = false;
    const done = q.shutDownWithDrain().then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(drained).toBe(false);
    q.done(item.key);
    await done;
    expect(drained).toBe(true);
  });
});
