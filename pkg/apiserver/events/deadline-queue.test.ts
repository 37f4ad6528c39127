import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from './deadline-queue.ts';

describe('DeadlineQueue', () => {
  it('hands out expired keys earliest first and keeps the rest', () => {
    const q = new DeadlineQueue<string>();
    q.set('a', 10);
    q.set('b', 20);
    q.set('c', 30);
    expect(q.nextDeadline()).toBe(10);
    expect(q.takeExpired(20)).toEqual(['a', 'b']);
    expect(q.size).toBe(1);
    expect(q.nextDeadline()).toBe(30);
    expect(q.takeExpired(29)).toEqual([]);
  });

  it('renewing a key moves it behind the others', () => {
    const q = new DeadlineQueue<string>();
    q.set('a', 10);
    q.set('b', 20);
    q.set('a', 25);
    expect(q.nextDeadline()).toBe(20);
    expect(q.takeExpired(21)).toEqual(['b']);
    expect(q.deadlineOf('a')).toBe(25);
  });

  it('a deadline earlier than the last queued one is delayed to it, never expired early', () => {
    const q = new DeadlineQueue<string>();
    q.set('a', 100);
    expect(q.set('b', 50)).toBe(100);
    expect(q.takeExpired(99)).toEqual([]);
    expect(q.takeExpired(100)).toEqual(['a', 'b']);
  });

  it('deleted keys never expire', () => {
    const q = new DeadlineQueue<string>();
    q.set('a', 10);
    q.set('b', 20);
    expect(q.delete('a')).toBe(true);
    expect(q.delete('a')).toBe(false);
    expect(q.takeExpired(100)).toEqual(['b']);
    expect(q.nextDeadline()).toBeUndefined();
  });

  it('takes at most `max` keys per call', () => {
    const q = new DeadlineQueue<number>();
    for (let i = 0; i < 10; i++) q.set(i, i);
    expect(q.takeExpired(100, 4)).toEqual([0, 1, 2, 3]);
    expect(q.takeExpired(100, 4)).toEqual([4, 5, 6, 7]);
    expect(q.takeExpired(100, 4)).toEqual([8, 9]);
  });

  it('expiring stays proportional to what expires: 100k live keys, a few due', () => {
    const q = new DeadlineQueue<string>();
    for (let i = 0; i < 100_000; i++) q.set(`k${i}`, i);
    const t = performance.now();
    for (let round = 0; round < 1000; round++) q.takeExpired(round * 10 + 9);
    // 1000 calls over a 100k-key queue: a full scan per call would take seconds.
    expect(performance.now() - t).toBeLessThan(500);
    expect(q.size).toBe(100_000 - 10_000);
  });
});
