import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.ts';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('processes a key once however often it was added, after the current call stack', async () => {
    const seen: string[] = [];
    const q = new WorkQueue({ process: (k) => seen.push(k), onError: () => undefined });
    q.add('a');
    q.add('b');
    q.add('a');
    expect(seen).toEqual([]);
    await tick();
    expect(seen).toEqual(['a', 'b']);
    expect(q.idle).toBe(true);
  });

  it('retries a failing key with growing delays and stops retrying once it succeeds', async () => {
    const attempts: number[] = [];
    let failures = 2;
    const q = new WorkQueue({
      process: () => {
        attempts.push(Date.now());
        if (failures-- > 0) throw new Error('not yet');
      },
      onError: () => undefined,
      baseDelayMs: 20,
    });
    q.add('k');
    await tick(200);
    expect(attempts.length).toBe(3);
    expect(attempts[2] - attempts[1]).toBeGreaterThan(attempts[1] - attempts[0]);
    expect(q.idle).toBe(true);
  });

  it('addAfter keeps the earliest due time; stop drops everything', async () => {
    const seen: string[] = [];
    const q = new WorkQueue({ process: (k) => seen.push(k), onError: () => undefined });
    q.addAfter('k', 5_000);
    q.addAfter('k', 10);
    q.addAfter('k', 5_000);
    await tick(60);
    expect(seen).toEqual(['k']);
    q.addAfter('late', 10);
    q.stop();
    q.add('after-stop');
    await tick(40);
    expect(seen).toEqual(['k']);
  });
});
