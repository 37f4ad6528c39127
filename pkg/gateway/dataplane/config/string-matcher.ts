import { createHash, timingSafeEqual } from 'node:crypto';
import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { asMsg, asString, type Msg } from './proto-values.ts';

export type StringPredicate = (value: string) => boolean;

/**
 * `envoy.type.matcher.v3.RegexMatcher`: RE2 syntax, matched against the whole value as Envoy does
 * (FullMatch). JavaScript regular expressions accept a superset of the RE2 syntax used in routes.
 */
export function compileRegex(matcher: unknown, where: string, ctx: CompileContext, flags = ''): RegExp {
  return newRegExp(`^(?:${regexSource(matcher, where, ctx)})$`, flags, where);
}

/** The pattern of a RegexMatcher, for callers that search rather than match whole values. */
export function regexSource(matcher: unknown, where: string, ctx: CompileContext): string {
  const m = asMsg(matcher) ?? {};
  ctx.checkFields(m, 'RegexMatcher', where, ['regex'], ['googleRe2']);
  return asString(m.regex);
}

export function newRegExp(source: string, flags: string, where: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new XdsConfigError(where, `invalid regex ${JSON.stringify(source)}: ${(err as Error).message}`);
  }
}

/**
 * `envoy.type.matcher.v3.StringMatcher`. `constantTime` makes `exact` comparisons independent of
 * where the values differ (RBAC compares secrets: per-peer tokens).
 */
export function compileStringMatcher(matcher: Msg, where: string, ctx: CompileContext, constantTime = false): StringPredicate {
  ctx.checkFields(matcher, 'StringMatcher', where, ['exact', 'prefix', 'suffix', 'safeRegex', 'contains', 'ignoreCase']);
  const ignoreCase = matcher.ignoreCase === true;
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if ('exact' in matcher) {
    const expected = fold(asString(matcher.exact));
    if (constantTime) return constantTimeEquals(expected, fold);
    return (value) => fold(value) === expected;
  }
  if ('prefix' in matcher) {
    const prefix = fold(asString(matcher.prefix));
    return (value) => fold(value).startsWith(prefix);
  }
  if ('suffix' in matcher) {
    const suffix = fold(asString(matcher.suffix));
    return (value) => fold(value).endsWith(suffix);
  }
  if ('contains' in matcher) {
    const part = fold(asString(matcher.contains));
    return (value) => fold(value).includes(part);
  }
  if ('safeRegex' in matcher) {
    const re = compileRegex(matcher.safeRegex, `${where}.safeRegex`, ctx);
    return (value) => re.test(value);
  }
  // No match pattern set: proto3 drops an empty `exact`, which then matches only the empty string.
  return (value) => value === '';
}

/** Compares SHA-256 digests with timingSafeEqual: no early exit, and lengths are not revealed. */
function constantTimeEquals(expected: string, fold: (s: string) => string): StringPredicate {
  const expectedDigest = createHash('sha256').update(expected).digest();
  return (value) => timingSafeEqual(createHash('sha256').update(fold(value)).digest(), expectedDigest);
}
