import { TypeUrl, type XdsResource } from '../../envoy-protos.ts';

/**
 * Just enough of Envoy's documented routing and RBAC semantics to let the builders' tests ask what
 * a request would meet ("does bob reach engine-domain?"), instead of checking field shapes. Covers
 * only what the builders emit: virtual-host domain matching, prefix + header matchers, per-filter
 * config lookup (route, then virtual host, then listener) and RBAC ALLOW policies on headers.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resource bodies are walked structurally
type Body = Record<string, any>;
export interface Request {
  authority: string;
  path?: string;
  /** Header names in any case. */
  headers?: Record<string, string>;
}

export type Outcome =
  | { kind: 'cluster'; cluster: string; virtualHost: string; route: Body; headers: Record<string, string> }
  | { kind: 'direct'; status: number; virtualHost: string; responseHeaders: Record<string, string> }
  | { kind: 'denied'; status: number; body: string; contentType: string; responseHeaders: Record<string, string> }
  | { kind: 'no-route'; status: 404; virtualHost?: string };

const RBAC = 'envoy.filters.http.rbac';

export class GatewayRouting {
  private readonly byName = new Map<string, Body>();
  constructor(resources: readonly XdsResource[]) {
    for (const r of resources) this.byName.set(`${r.typeUrl} ${r.name}`, r.body);
  }

  resource(typeUrl: string, name: string): Body {
    const body = this.byName.get(`${typeUrl} ${name}`);
    if (!body) throw new Error(`no ${typeUrl} ${name}`);
    return body;
  }

  /** A request from an app to the internal listener. */
  internal(request: Request): Outcome {
    return this.route('internal-listener', request);
  }

  /**
   * A request from a peer to the external listener; an authenticated request re-injected into the
   * internal listener (cluster internal-cluster[-grpc]) is followed there.
   */
  external(request: Request): Outcome {
    const outcome = this.route('external-listener', request);
    if (outcome.kind !== 'cluster' || !outcome.cluster.startsWith('internal-cluster')) return outcome;
    const hostHeader = outcome.route.route.hostRewriteHeader as string | undefined;
    const authority = (hostHeader && outcome.headers[hostHeader.toLowerCase()]) || request.authority;
    return this.internal({ authority, path: request.path, headers: outcome.headers });
  }

  private route(listenerName: string, request: Request): Outcome {
    const hcm = this.resource(TypeUrl.Listener, listenerName).filterChains[0].filters[0].typedConfig;
    const routeConfig = this.resource(TypeUrl.RouteConfiguration, hcm.rds.routeConfigName);
    const headers = lowerCaseKeys(request.headers ?? {});
    const authority = hcm.stripAnyHostPort ? request.authority.replace(/:\d+$/, '') : request.authority;
    const vh = selectVirtualHost(routeConfig.virtualHosts, authority);
    const route = vh?.routes.find((r: Body) => routeMatches(r, request.path ?? '/', headers));
    const listenerRbac = hcm.httpFilters.find((f: Body) => f.name === RBAC)?.typedConfig;
    if (listenerRbac) {
      const perRoute = route?.typedPerFilterConfig?.[RBAC] ?? vh?.typedPerFilterConfig?.[RBAC];
      const rules = perRoute ? perRoute.rbac?.rules : listenerRbac.rules;
      if (perRoute ? perRoute.rbac && !allows(rules, headers) : !allows(rules, headers)) return localReply(hcm, 403, authority);
    }
    if (!vh || !route) return { kind: 'no-route', status: 404, virtualHost: vh?.name };
    if (route.directResponse) {
      const responseHeaders = Object.fromEntries(
        (route.responseHeadersToAdd ?? []).map((h: Body) => [h.header.key, substitute(h.header.value, authority)]),
      );
      return { kind: 'direct', status: route.directResponse.status, virtualHost: vh.name, responseHeaders };
    }
    const forwarded = { ...headers };
    for (const name of route.requestHeadersToRemove ?? []) delete forwarded[name.toLowerCase()];
    for (const h of route.requestHeadersToAdd ?? []) {
      const key = h.header.key.toLowerCase();
      if (h.appendAction === 'ADD_IF_ABSENT' && key in forwarded) continue;
      forwarded[key] = substitute(h.header.value, authority);
    }
    const cluster = route.route.cluster ?? forwarded[String(route.route.clusterHeader).toLowerCase()];
    return { kind: 'cluster', cluster, virtualHost: vh.name, route, headers: forwarded };
  }
}

function selectVirtualHost(virtualHosts: Body[], authority: string): Body | undefined {
  const exact = virtualHosts.find((vh) => vh.domains.includes(authority));
  if (exact) return exact;
  let best: { vh: Body; length: number } | undefined;
  for (const vh of virtualHosts) {
    for (const d of vh.domains as string[]) {
      if (d.startsWith('*') && d.length > 1 && authority.endsWith(d.slice(1)) && (!best || d.length > best.length)) best = { vh, length: d.length };
    }
  }
  return best?.vh ?? virtualHosts.find((vh) => vh.domains.includes('*'));
}

function routeMatches(route: Body, path: string, headers: Record<string, string>): boolean {
  return path.startsWith(route.match.prefix) && (route.match.headers ?? []).every((m: Body) => headerMatches(m, headers));
}

function headerMatches(matcher: Body, headers: Record<string, string>): boolean {
  let value = headers[matcher.name.toLowerCase()];
  if (value === undefined && matcher.treatMissingHeaderAsEmpty) value = '';
  let result: boolean;
  if (matcher.presentMatch !== undefined) result = (value !== undefined) === matcher.presentMatch;
  else if (value === undefined) result = false;
  else result = stringMatches(matcher.stringMatch, value);
  return matcher.invertMatch ? !result : result;
}

function stringMatches(m: Body, value: string): boolean {
  if (m.exact !== undefined) return value === m.exact;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  if (m.safeRegex !== undefined) return new RegExp(`^(?:${m.safeRegex.regex})$`).test(value);
  throw new Error(`unsupported string matcher ${JSON.stringify(m)}`);
}

/** RBAC with action ALLOW (the only one emitted): allowed when some policy's principal matches. */
function allows(rules: Body | undefined, headers: Record<string, string>): boolean {
  if (!rules) return true;
  if (rules.action && rules.action !== 'ALLOW') throw new Error(`unsupported RBAC action ${rules.action}`);
  return (Object.values(rules.policies ?? {}) as Body[]).some((p) => p.principals.some((pr: Body) => principalMatches(pr, headers)));
}

function principalMatches(p: Body, headers: Record<string, string>): boolean {
  if (p.any) return true;
  if (p.header) return headerMatches(p.header, headers);
  if (p.andIds) return p.andIds.ids.every((id: Body) => principalMatches(id, headers));
  if (p.orIds) return p.orIds.ids.some((id: Body) => principalMatches(id, headers));
  throw new Error(`unsupported principal ${JSON.stringify(p)}`);
}

function localReply(hcm: Body, status: number, authority: string): Outcome {
  const mapper = hcm.localReplyConfig?.mappers?.find((m: Body) => m.filter.statusCodeFilter.comparison.value.defaultValue === status);
  if (!mapper) return { kind: 'denied', status, body: 'RBAC: access denied', contentType: 'text/plain', responseHeaders: {} };
  return {
    kind: 'denied',
    status: mapper.statusCode.value,
    body: mapper.body.inlineString,
    contentType: mapper.bodyFormatOverride.contentType,
    responseHeaders: Object.fromEntries((mapper.headersToAdd ?? []).map((h: Body) => [h.header.key, substitute(h.header.value, authority)])),
  };
}

function substitute(value: string, authority: string): string {
  return value.replaceAll('%REQ(:authority)%', authority);
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
