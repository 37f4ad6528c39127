import { describe, expect, it } from 'vitest';
import { SortedKeySet } from './sorted-keys.ts';

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('SortedKeySet', () => {
  it('matches a reference sorted array under random inserts and deletes across many chunks', () => {
    const rand = rng(42);
    const set = new SortedKeySet();
    const ref = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const key = `/k/${Math.floor(rand() * 5000)}/${Math.floor(rand() * 3)}`;
      if (rand() < 0.3) expect(set.delete(key)).toBe(ref.delete(key));
      else {
        const had = ref.has(key);
        ref.add(key);
        expect(set.add(key)).toBe(!had);
      }
    }
    const sorted = [...ref].sort();
    expect(set.size).toBe(sorted.length);
    const scanned: string[] = [];
    set.scan('', true, (k) => (scanned.push(k), true));
    expect(scanned).toEqual(sorted);

    for (const probe of ['/k/1', '/k/2500/1', sorted[100], sorted[sorted.length - 1], '~']) {
      expect(set.rank(probe)).toBe(sorted.filter((k) => k < probe).length);
      expect(set.rank(probe, true)).toBe(sorted.filter((k) => k <= probe).length);
      const after: string[] = [];
      set.scan(probe, false, (k) => (after.push(k), after.length < 5));
      expect(after).toEqual(sorted.filter((k) => k > probe).slice(0, 5));
    }
    for (const prefix of ['/k/1', '/k/42/', '/k/', '/z']) {
      const expected = sorted.filter((k) => k < prefix || k.startsWith(prefix)).length;
      expect(set.rankPrefixEnd(prefix)).toBe(expected);
    }
  });

  it('builds from sorted keys and keeps appending in order', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `/a/${String(i).padStart(5, '0')}`);
    const set = SortedKeySet.fromSorted(keys);
    set.add('/a/99999');
    set.add('/a/00000x');
    expect(set.size).toBe(3002);
    expect(set.rank('/a/00001')).toBe(2);
    expect(set.delete('/zzz')).toBe(false);
    expect(set.rankPrefixEnd('/a/')).toBe(3002);
  });
});
