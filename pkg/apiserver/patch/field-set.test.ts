import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random.ts';
import { FieldSet } from './field-set.ts';
import { fieldElement as f, keyElement, pathToString, valueElement, type FieldPath, type PathElement } from './field-set-path.ts';


const alphabet: PathElement[] = [f('a'), f('b'), f('c'), keyElement([['name', 'x']]), valueElement('s')];

function randomPaths(next: () => number): FieldPath[] {
  return Array.from({ length: Math.floor(next() * 9) }, () =>
    Array.from({ length: 1 + Math.floor(next() * 3) }, () => alphabet[Math.floor(next() * alphabet.length)]),
  );
}

const names = (s: FieldSet) => new Set(s.paths().map(pathToString));
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('FieldSet algebra against plain sets of paths', () => {
  it('union, intersection, difference and recursiveDifference hold the expected paths, share unchanged operands and never change them', () => {
    const next = seededRandom(7);
    let sameInstance = 0;
    for (let round = 0; round < 2000; round++) {
      const aPaths = randomPaths(next);
      const bPaths = randomPaths(next);
      const a = FieldSet.of(...aPaths);
      const b = FieldSet.of(...bPaths);
      const an = names(a);
      const bn = names(b);
      const below = (p: string) => [...bn].some((q) => p === q || p.startsWith(q + '.') || p.startsWith(q + '['));

      const union = a.union(b);
      const intersection = a.intersection(b);
      const difference = a.difference(b);
      const recursive = a.recursiveDifference(b);
      expect(sorted(names(union))).toEqual(sorted(new Set([...an, ...bn])));
      expect(sorted(names(intersection))).toEqual(sorted([...an].filter((p) => bn.has(p))));
      expect(sorted(names(difference))).toEqual(sorted([...an].filter((p) => !bn.has(p))));
      expect(sorted(names(recursive))).toEqual(sorted([...an].filter((p) => !below(p))));
      expect(b.isSubsetOf(a)).toBe([...bn].every((p) => an.has(p)));

      // Results are well-formed sets (no empty children): equal to the same paths inserted afresh.
      for (const r of [union, intersection, difference, recursive]) expect(r.equals(FieldSet.of(...r.paths()))).toBe(true);
      // Nothing removed or added: the receiver itself comes back.
      if (names(difference).size === an.size) expect(difference).toBe(a);
      if (names(recursive).size === an.size) expect(recursive).toBe(a);
      if ([...bn].every((p) => an.has(p))) expect(union).toBe(a);
      if (difference === a) sameInstance++;
      // The operands are untouched.
      expect(a.equals(FieldSet.of(...aPaths))).toBe(true);
      expect(b.equals(FieldSet.of(...bPaths))).toBe(true);
    }
    expect(sameInstance).toBeGreaterThan(100);
  });

  it('a union built on a shared subtree does not change the set it shares with', () => {
    const base = FieldSet.of([f('spec'), f('a')], [f('status'), f('phase')]);
    const trimmed = base.difference(FieldSet.of([f('status'), f('phase')]));
    const grown = trimmed.union(FieldSet.of([f('spec'), f('b')]));
    expect(grown.has([f('spec'), f('b')])).toBe(true);
    expect(trimmed.has([f('spec'), f('b')])).toBe(false);
    expect(base.has([f('spec'), f('b')])).toBe(false);
  });
});
