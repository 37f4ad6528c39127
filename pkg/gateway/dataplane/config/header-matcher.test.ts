import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HeaderMap } from '../http/header-map.ts';
import { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { compileHeaderMatcher } from './header-matcher.ts';

const ctx = new CompileContext(pino({ level: 'silent' }));
const headers = (raw: string[]) => HeaderMap.fromRaw(raw);

describe('HeaderMatcher (Envoy semantics)', () => {
  it('joins repeated headers with "," before matching', () => {
    const m = compileHeaderMatcher({ name: 'X-A', stringMatch: { exact: 'one,two' } }, 'test', ctx);
    expect(m(headers(['x-a', 'one', 'X-A', 'two']))).toBe(true);
    expect(m(headers(['x-a', 'one']))).toBe(false);
  });

  it('never matches a missing header with a value matcher, inverted or not', () => {
    const m = compileHeaderMatcher({ name: 'x-a', stringMatch: { exact: 'v' }, invertMatch: true }, 'test', ctx);
    expect(m(headers([]))).toBe(false);
    expect(m(headers(['x-a', 'other']))).toBe(true);
    expect(m(headers(['x-a', 'v']))).toBe(false);
  });

  it('treats a missing header as empty when asked to', () => {
    const m = compileHeaderMatcher({ name: 'kuscia-source', stringMatch: { safeRegex: { regex: '(|alice)' } }, treatMissingHeaderAsEmpty: true }, 'test', ctx);
    expect(m(headers([]))).toBe(true);
    expect(m(headers(['kuscia-source', 'alice']))).toBe(true);
    expect(m(headers(['kuscia-source', 'bob']))).toBe(false);
    expect(m(headers(['kuscia-source', 'alicex']))).toBe(false);
  });

  it('matches presence and absence', () => {
    expect(compileHeaderMatcher({ name: 'x', presentMatch: true }, 't', ctx)(headers(['x', '']))).toBe(true);
    expect(compileHeaderMatcher({ name: 'x', presentMatch: true, invertMatch: true }, 't', ctx)(headers([]))).toBe(true);
    expect(compileHeaderMatcher({ name: 'x' }, 't', ctx)(headers([]))).toBe(false);
  });

  it('supports prefix, suffix, contains, ignore_case and ranges', () => {
    const h = headers(['content-type', 'application/grpc+proto', 'n', '42']);
    expect(compileHeaderMatcher({ name: 'content-type', stringMatch: { prefix: 'application/grpc' } }, 't', ctx)(h)).toBe(true);
    expect(compileHeaderMatcher({ name: 'content-type', stringMatch: { suffix: '+PROTO', ignoreCase: true } }, 't', ctx)(h)).toBe(true);
    expect(compileHeaderMatcher({ name: 'content-type', containsMatch: 'grpc' }, 't', ctx)(h)).toBe(true);
    expect(compileHeaderMatcher({ name: 'n', rangeMatch: { start: 40, end: 43 } }, 't', ctx)(h)).toBe(true);
    expect(compileHeaderMatcher({ name: 'n', rangeMatch: { start: 0, end: 42 } }, 't', ctx)(h)).toBe(false);
  });

  it('compares exact values in constant time with the same result', () => {
    const m = compileHeaderMatcher({ name: 'kuscia-token', stringMatch: { exact: 'secret-token' } }, 't', ctx, true);
    expect(m(headers(['kuscia-token', 'secret-token']))).toBe(true);
    expect(m(headers(['kuscia-token', 'secret-tokem']))).toBe(false);
    expect(m(headers(['kuscia-token', 'secret']))).toBe(false);
  });

  it('refuses an invalid regex and unknown matcher fields', () => {
    expect(() => compileHeaderMatcher({ name: 'x', stringMatch: { safeRegex: { regex: '(' } } }, 't', ctx)).toThrow(XdsConfigError);
    expect(() => compileHeaderMatcher({ name: 'x', stringMatch: { custom: {} } }, 't', ctx)).toThrow(/StringMatcher.custom is not supported/);
  });
});
