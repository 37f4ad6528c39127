import { describe, expect, it } from 'vitest';
import { DurationSyntaxError, parseGoDuration } from './go-duration.ts';

describe('parseGoDuration (Go time.ParseDuration, as --event-ttl takes it)', () => {
  it.each([
    ['1h', 3_600_000],
    ['30m', 1_800_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['1.s', 1000],
    ['300ms', 300],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
    ['0', 0],
    ['+5s', 5000],
    ['-5s', -5000],
    ['1h0m0s', 3_600_000],
  ])('%s = %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '1', '1x', 'h', '.s', '1h 30m', 'abc', '1..5s', '-'])('rejects %j like Go', (text) => {
    expect(() => parseGoDuration(text)).toThrow(DurationSyntaxError);
  });

  it('names the missing or unknown unit', () => {
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
    expect(() => parseGoDuration('10d')).toThrow('time: unknown unit "d" in duration "10d"');
  });
});
