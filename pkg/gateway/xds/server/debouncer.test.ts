import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from './debouncer.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Debouncer', () => {
  it('fires once after a quiet period, however many triggers came before', () => {
    const fire = vi.fn();
    const d = new Debouncer({ quietMs: 100, maxMs: 1000 }, fire);
    for (let i = 0; i < 5; i++) {
      d.trigger();
      vi.advanceTimersByTime(50);
    }
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('fires at the latest maxMs after the first trigger of an endless burst', () => {
    const fire = vi.fn();
    const d = new Debouncer({ quietMs: 100, maxMs: 300 }, fire);
    for (let t = 0; t < 1000; t += 50) {
      d.trigger();
      vi.advanceTimersByTime(50);
    }
    // 1 s of triggers every 50 ms: one push per 300 ms instead of 20 (or none).
    expect(fire).toHaveBeenCalledTimes(3);
  });

  it('fires at once when quietMs is 0, and flush fires only what is pending', () => {
    const fire = vi.fn();
    new Debouncer({ quietMs: 0, maxMs: 0 }, fire).trigger();
    expect(fire).toHaveBeenCalledTimes(1);

    const later = vi.fn();
    const d = new Debouncer({ quietMs: 100, maxMs: 1000 }, later);
    d.flush();
    expect(later).not.toHaveBeenCalled();
    d.trigger();
    d.flush();
    expect(later).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(500);
    expect(later).toHaveBeenCalledTimes(1);
  });
});
