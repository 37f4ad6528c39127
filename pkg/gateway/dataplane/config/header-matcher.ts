import type { HeaderMap } from '../http/header-map.ts';
import type { CompileContext } from './compile-context.ts';
import { compileRegex, compileStringMatcher, type StringPredicate } from './string-matcher.ts';
import { asMsg, asNumber, asString, type Msg } from './proto-values.ts';

export type HeadersPredicate = (headers: HeaderMap) => boolean;

/**
 * `envoy.config.route.v3.HeaderMatcher`, with Envoy's semantics: the value is all of the header's
 * values joined by ','; a missing header never matches a value matcher (inverted or not) unless
 * `treat_missing_header_as_empty`; `present_match: false` matches an absent header.
 */
export function compileHeaderMatcher(matcher: Msg, where: string, ctx: CompileContext, constantTime = false): HeadersPredicate {
  ctx.checkFields(matcher, 'HeaderMatcher', where, [
    'name', 'exactMatch', 'safeRegexMatch', 'rangeMatch', 'presentMatch', 'prefixMatch', 'suffixMatch', 'containsMatch',
    'stringMatch', 'invertMatch', 'treatMissingHeaderAsEmpty',
  ]);
  const name = asString(matcher.name).toLowerCase();
  const invert = matcher.invertMatch === true;
  if ('presentMatch' in matcher) {
    const wantPresent = matcher.presentMatch === true;
    return (headers) => (headers.has(name) === wantPresent) !== invert;
  }
  const test = valuePredicate(matcher, where, ctx, constantTime);
  const missingAsEmpty = matcher.treatMissingHeaderAsEmpty === true;
  return (headers) => {
    const value = headers.get(name);
    if (value === undefined && !missingAsEmpty) return false;
    return test(value ?? '') !== invert;
  };
}

function valuePredicate(m: Msg, where: string, ctx: CompileContext, constantTime: boolean): StringPredicate {
  if ('stringMatch' in m) return compileStringMatcher(asMsg(m.stringMatch) ?? {}, `${where}.stringMatch`, ctx, constantTime);
  if ('exactMatch' in m) return compileStringMatcher({ exact: m.exactMatch }, where, ctx, constantTime);
  if ('prefixMatch' in m) return compileStringMatcher({ prefix: m.prefixMatch }, where, ctx);
  if ('suffixMatch' in m) return compileStringMatcher({ suffix: m.suffixMatch }, where, ctx);
  if ('containsMatch' in m) return compileStringMatcher({ contains: m.containsMatch }, where, ctx);
  if ('safeRegexMatch' in m) {
    const re = compileRegex(m.safeRegexMatch, `${where}.safeRegexMatch`, ctx);
    return (value) => re.test(value);
  }
  if ('rangeMatch' in m) {
    // Int64Range [start, end): the value must be a whole number.
    const range = asMsg(m.rangeMatch) ?? {};
    const start = asNumber(range.start);
    const end = asNumber(range.end);
    return (value) => /^-?\d+$/.test(value) && Number(value) >= start && Number(value) < end;
  }
  // No specifier: Envoy then matches on presence.
  return () => true;
}
