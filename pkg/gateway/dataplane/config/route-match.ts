import type { HeaderMap } from '../http/header-map.ts';
import { isGrpcRequest } from '../http/grpc.ts';
import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { compileHeaderMatcher } from './header-matcher.ts';
import { asList, asMsg, asString, type Msg, wrappedBool } from './proto-values.ts';
import { compileRegex, compileStringMatcher } from './string-matcher.ts';

/** The request as route matching sees it. */
export interface RouteRequest {
  headers: HeaderMap;
  /** `:path` as received, query string included. */
  path: string;
}

/** Which part of the path a rewrite replaces. */
export type PathMatchKind = { kind: 'prefix'; length: number } | { kind: 'whole-path' };

export interface CompiledMatch {
  test(req: RouteRequest): boolean;
  pathKind: PathMatchKind;
}

/**
 * `envoy.config.route.v3.RouteMatch`: `prefix` against the whole `:path` (query included), `path`
 * and `safe_regex` against the path without query and fragment (as Envoy), then every header and
 * query parameter matcher, and `grpc` (a gRPC content type).
 */
export function compileRouteMatch(match: Msg, where: string, ctx: CompileContext): CompiledMatch {
  ctx.checkFields(match, 'RouteMatch', where, [
    'prefix', 'path', 'safeRegex', 'connectMatcher', 'pathSeparatedPrefix', 'caseSensitive', 'headers', 'queryParameters', 'grpc',
  ]);
  const caseSensitive = wrappedBool(match.caseSensitive, true);
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  let pathTest: (req: RouteRequest) => boolean;
  let pathKind: PathMatchKind = { kind: 'whole-path' };
  if ('prefix' in match) {
    const prefix = fold(asString(match.prefix));
    pathTest = (req) => fold(req.path).startsWith(prefix);
    pathKind = { kind: 'prefix', length: prefix.length };
  } else if ('path' in match) {
    const path = fold(asString(match.path));
    pathTest = (req) => fold(pathOnly(req.path)) === path;
  } else if ('safeRegex' in match) {
    const re = compileRegex(match.safeRegex, `${where}.safeRegex`, ctx, caseSensitive ? '' : 'i');
    pathTest = (req) => re.test(pathOnly(req.path));
  } else if ('pathSeparatedPrefix' in match) {
    const prefix = fold(asString(match.pathSeparatedPrefix));
    pathTest = (req) => {
      const p = fold(pathOnly(req.path));
      return p === prefix || p.startsWith(`${prefix}/`);
    };
    pathKind = { kind: 'prefix', length: prefix.length };
  } else if ('connectMatcher' in match) {
    // CONNECT requests are not proxied by the built-in data plane: such routes never match.
    ctx.ignored('RouteMatch.connectMatcher', where, 'CONNECT tunnelling is not implemented; the route never matches');
    pathTest = () => false;
  } else {
    throw new XdsConfigError(where, 'route match has no path specifier');
  }
  const headerTests = asList(match.headers).map((h, i) => compileHeaderMatcher(h, `${where}.headers[${i}]`, ctx));
  const queryTests = asList(match.queryParameters).map((q, i) => compileQueryParameter(q, `${where}.queryParameters[${i}]`, ctx));
  const grpcOnly = match.grpc !== undefined;
  return {
    pathKind,
    test: (req) =>
      pathTest(req) &&
      (!grpcOnly || isGrpcRequest(req.headers)) &&
      headerTests.every((t) => t(req.headers)) &&
      (queryTests.length === 0 || queryTests.every((t) => t(new URLSearchParams(queryOf(req.path))))),
  };
}

function compileQueryParameter(q: Msg, where: string, ctx: CompileContext): (params: URLSearchParams) => boolean {
  ctx.checkFields(q, 'QueryParameterMatcher', where, ['name', 'stringMatch', 'presentMatch']);
  const name = asString(q.name);
  if (q.presentMatch === true) return (params) => params.has(name);
  const test = compileStringMatcher(asMsg(q.stringMatch) ?? {}, `${where}.stringMatch`, ctx);
  return (params) => {
    const value = params.get(name);
    return value !== null && test(value);
  };
}

export function pathOnly(path: string): string {
  const end = path.search(/[?#]/);
  return end < 0 ? path : path.slice(0, end);
}

function queryOf(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return '';
  const hash = path.indexOf('#', q);
  return path.slice(q + 1, hash < 0 ? undefined : hash);
}
