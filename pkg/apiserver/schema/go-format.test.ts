import { describe, expect, it } from 'vitest';
import { goFloat, goNumber } from './go-format.ts';
import { compilePattern } from './openapi-validator.ts';

describe('Go number formatting', () => {
  it('prints float64 like %v', () => {
    expect(goFloat(1.5)).toBe('1.5');
    expect(goFloat(123456)).toBe('123456');
    expect(goFloat(1000000)).toBe('1e+06');
    expect(goFloat(1234567.5)).toBe('1.2345675e+06');
    expect(goFloat(0.0001)).toBe('0.0001');
    expect(goFloat(0.00001)).toBe('1e-05');
  });

  it('prints integral values as int64', () => {
    expect(goNumber(1000000)).toBe('1000000');
    expect(goNumber(-3)).toBe('-3');
    expect(goNumber(0.5)).toBe('0.5');
  });
});

describe('compilePattern (Go RE2 syntax)', () => {
  it('translates leading inline flags and text anchors', () => {
    const re = compilePattern('(?i)\\Aabc\\z');
    expect(re).toBeInstanceOf(RegExp);
    expect((re as RegExp).test('ABC')).toBe(true);
    expect((re as RegExp).test('xABC')).toBe(false);
  });

  it('returns an Error for an invalid pattern', () => {
    expect(compilePattern('([a-z')).toBeInstanceOf(Error);
  });
});
