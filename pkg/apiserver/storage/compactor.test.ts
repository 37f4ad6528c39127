import { describe, expect, it } from 'vitest';
import { startCompactor } from './compactor.ts';
import { createMemoryStore } from './memory-store.ts';
import { TooOldError } from './types.ts';

describe('startCompactor', () => {
  it('compacts to the revision current retainMs ago, keeping at least minRetainEvents', () => {
    const store = createMemoryStore();
    let now = 0;
    const compactor = startCompactor(store, { intervalMs: 60_000, retainMs: 1000, minRetainEvents: 5, now: () => now });
    try {
      const write = (n: number) => {
        for (let i = 0; i < n; i++) store.create(`/r/${store.revision + 1}`, () => '{}');
      };
      write(20);
      expect(compactor.runOnce()).toBe(0); // nothing is older than retainMs yet
      now = 500;
      write(20);
      expect(compactor.runOnce()).toBe(0);
      now = 1000;
      write(20); // revision 60
      // The sample taken at t=0 (revision 20) is now retainMs old.
      expect(compactor.runOnce()).toBe(20);
      expect(() => store.watch('/r/', 19, () => {})).toThrow(TooOldError);
      now = 10_000;
      // Everything is old, but the last 5 events stay.
      expect(compactor.runOnce()).toBe(55);
      expect(store.size).toBe(60);
    } finally {
      compactor.stop();
    }
  });
});
