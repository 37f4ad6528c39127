import { describe, expect, it } from 'vitest';
import { formatGoDuration, formatTime } from './go-time.ts';

describe('formatTime', () => {
  it('renders metav1.Time to the second and MicroTime with six fractional digits, in UTC', () => {
    const seconds = Date.UTC(2026, 0, 2, 3, 4, 5) / 1000;
    expect(formatTime(seconds, 999_999_999, 'seconds')).toBe('2026-01-02T03:04:05Z');
    expect(formatTime(seconds, 1_000, 'micros')).toBe('2026-01-02T03:04:05.000001Z');
    expect(formatTime(seconds, 0, 'micros')).toBe('2026-01-02T03:04:05.000000Z');
    expect(formatTime(0, undefined, 'seconds')).toBe('1970-01-01T00:00:00Z');
  });
});

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [999, '999ns'],
    [1_500, '1.5µs'],
    [150_000_000, '150ms'],
    [1_000_000_000, '1s'],
    [90_000_000_000, '1m30s'],
    [3_600_000_000_000, '1h0m0s'],
    [3_723_500_000_000, '1h2m3.5s'],
    [-2_000_000_000, '-2s'],
  ])('%d ns is %s like Go time.Duration.String()', (ns, text) => {
    expect(formatGoDuration(ns)).toBe(text);
  });
});
