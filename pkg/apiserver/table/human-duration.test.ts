import { describe, expect, it } from 'vitest';
import { ageSince, humanDuration } from './human-duration.ts';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (util/duration.HumanDuration)', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-1500, '0s'],
    [-1 * s, '0s'],
    [0, '0s'],
    [5 * s, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 20 * s, '3m20s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [45 * d + 5 * h, '45d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [3 * 365 * d + 20 * d, '3y20d'],
    [8 * 365 * d + 100 * d, '8y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('ageSince is <unknown> without a timestamp', () => {
    const now = new Date('2024-01-01T00:10:00Z');
    expect(ageSince('2024-01-01T00:00:00Z', now)).toBe('10m');
    expect(ageSince(undefined, now)).toBe('<unknown>');
    expect(ageSince('yesterday', now)).toBe('<unknown>');
  });
});
