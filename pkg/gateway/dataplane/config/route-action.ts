import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { asMsg, asNumber, asString, dataSourceText, durationMs, type Msg, wrappedBool } from './proto-values.ts';
import { pathOnly, type PathMatchKind } from './route-match.ts';
import { newRegExp, regexSource } from './string-matcher.ts';

/** Envoy's default route timeout when `timeout` is not set. */
export const DEFAULT_ROUTE_TIMEOUT_MS = 15_000;

export type HostRewrite = { kind: 'literal'; host: string } | { kind: 'header'; name: string } | { kind: 'auto' };

export interface ForwardAction {
  kind: 'forward';
  cluster?: string;
  clusterHeader?: string;
  /** `cluster_not_found_response_code`. */
  clusterNotFoundStatus: number;
  hostRewrite?: HostRewrite;
  /** The path sent upstream; undefined when it is not rewritten. */
  rewritePath?: (path: string) => string;
  /** 0 = no timeout. */
  timeoutMs: number;
  /** Overrides the listener's stream idle timeout; 0 = none. */
  idleTimeoutMs?: number;
}

export interface DirectAction {
  kind: 'direct';
  status: number;
  body: string;
}

const NOT_FOUND_CODES: Record<string, number> = { SERVICE_UNAVAILABLE: 503, NOT_FOUND: 404, INTERNAL_SERVER_ERROR: 500 };

/** `envoy.config.route.v3.RouteAction`. */
export function compileForwardAction(action: Msg, pathKind: PathMatchKind, where: string, ctx: CompileContext): ForwardAction {
  ctx.checkFields(
    action,
    'RouteAction',
    where,
    [
      'cluster', 'clusterHeader', 'clusterNotFoundResponseCode', 'prefixRewrite', 'regexRewrite', 'hostRewriteLiteral', 'autoHostRewrite',
      'hostRewriteHeader', 'timeout', 'idleTimeout',
    ],
    [
      'retryPolicy', 'hashPolicy', 'maxStreamDuration', 'upgradeConfigs', 'priority', 'rateLimits', 'includeVhRateLimits', 'cors',
      'requestMirrorPolicies', 'internalRedirectPolicy', 'maxGrpcTimeout', 'grpcTimeoutOffset', 'appendXForwardedHost', 'hedgePolicy',
      'maxInternalRedirects', 'internalRedirectAction', 'retryPolicyTypedConfig',
    ],
  );
  if (!('cluster' in action) && !('clusterHeader' in action)) {
    throw new XdsConfigError(where, 'route action needs cluster or cluster_header (weighted clusters are not supported)');
  }
  if ('prefixRewrite' in action && 'regexRewrite' in action) throw new XdsConfigError(where, 'prefix_rewrite and regex_rewrite are exclusive');
  const timeoutMs = durationMs(action.timeout);
  return {
    kind: 'forward',
    ...('cluster' in action ? { cluster: asString(action.cluster) } : { clusterHeader: asString(action.clusterHeader).toLowerCase() }),
    clusterNotFoundStatus: NOT_FOUND_CODES[asString(action.clusterNotFoundResponseCode, 'SERVICE_UNAVAILABLE')] ?? 503,
    hostRewrite: hostRewriteOf(action),
    rewritePath: pathRewriteOf(action, pathKind, where, ctx),
    timeoutMs: timeoutMs ?? DEFAULT_ROUTE_TIMEOUT_MS,
    idleTimeoutMs: durationMs(action.idleTimeout),
  };
}

function hostRewriteOf(action: Msg): HostRewrite | undefined {
  if ('hostRewriteLiteral' in action) return { kind: 'literal', host: asString(action.hostRewriteLiteral) };
  if ('hostRewriteHeader' in action) return { kind: 'header', name: asString(action.hostRewriteHeader).toLowerCase() };
  if (wrappedBool(action.autoHostRewrite, false)) return { kind: 'auto' };
  return undefined;
}

function pathRewriteOf(action: Msg, pathKind: PathMatchKind, where: string, ctx: CompileContext): ((path: string) => string) | undefined {
  if ('prefixRewrite' in action) {
    const replacement = asString(action.prefixRewrite);
    // A prefix route replaces the matched prefix; path and regex routes replace the whole path (query kept).
    if (pathKind.kind === 'prefix') {
      const length = pathKind.length;
      return (path) => replacement + path.slice(length);
    }
    return (path) => replacement + path.slice(pathOnly(path).length);
  }
  if ('regexRewrite' in action) {
    const rewrite = asMsg(action.regexRewrite) ?? {};
    // RE2 GlobalReplace over the path without its query; `\1` in the substitution is a capture group.
    const global = newRegExp(regexSource(rewrite.pattern, `${where}.regexRewrite.pattern`, ctx), 'g', where);
    const substitution = asString(rewrite.substitution).replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
    return (path) => {
      const p = pathOnly(path);
      return p.replace(global, substitution) + path.slice(p.length);
    };
  }
  return undefined;
}

/** `envoy.config.route.v3.DirectResponseAction`. */
export function compileDirectAction(action: Msg, where: string, ctx: CompileContext): DirectAction {
  ctx.checkFields(action, 'DirectResponseAction', where, ['status', 'body']);
  const status = asNumber(action.status);
  if (status < 200 || status > 599) throw new XdsConfigError(where, `direct response status ${status} is outside [200, 600)`);
  return { kind: 'direct', status, body: action.body ? dataSourceText(action.body, `${where}.body`) : '' };
}
