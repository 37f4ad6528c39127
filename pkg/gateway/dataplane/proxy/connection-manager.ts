import type { Logger } from 'pino';
import type { CompiledListener } from '../config/listener-config.ts';
import { type CompiledRouteConfig, overrideFor, type RouteSelection, stripPort } from '../config/route-config.ts';
import type { ClusterManager } from '../upstream/cluster-manager.ts';
import type { DownstreamExchange } from './downstream-exchange.ts';
import { sendLocalReply } from './local-reply-sender.ts';
import { forward } from './router.ts';
import type { StreamState } from './stream-state.ts';

/** What a listener's connection manager reads at request time. */
export interface ProxyRuntime {
  /** The RDS table in service under that name (undefined until it arrives). */
  routeConfig(name: string): CompiledRouteConfig | undefined;
  clusters: ClusterManager;
  log: Logger;
}

/**
 * The HttpConnectionManager for one request: host normalisation, route selection, the HTTP filters
 * (RBAC with its per-route overrides), then the router. Everything is read once at the start, so a
 * request keeps the listener, route table and cluster it started with while updates land.
 */
export function handleRequest(exchange: DownstreamExchange, listener: CompiledListener, runtime: ProxyRuntime): void {
  const hcm = listener.hcm;
  const headers = exchange.headers;
  const state: StreamState = {
    exchange,
    hcm,
    headers,
    format: { requestHeaders: headers, downstreamRemote: exchange.remote, downstreamLocal: exchange.local, protocol: exchange.protocol, startTime: Date.now() },
    flags: new Set(),
    log: runtime.log,
  };
  if (exchange.protocol === 'HTTP/1.0') {
    if (!hcm.acceptHttp10) {
      sendLocalReply(state, { status: 426, body: '', details: 'low_version' });
      return;
    }
    if (!headers.has(':authority') && hcm.defaultHostForHttp10) headers.set(':authority', hcm.defaultHostForHttp10);
  }
  let authority = headers.get(':authority');
  if (authority === undefined) {
    sendLocalReply(state, { status: 400, body: 'missing host header', details: 'missing_host_header' });
    return;
  }
  if (hcm.stripAnyHostPort || (hcm.stripMatchingHostPort && authority.endsWith(`:${exchange.local.port}`))) {
    authority = stripPort(authority);
    headers.set(':authority', authority);
  }
  const table = hcm.routes.kind === 'inline' ? hcm.routes.config : runtime.routeConfig(hcm.routes.name);
  const selection = table?.select(authority, { headers, path: headers.get(':path') ?? '/' });
  if (!passesRbac(state, selection)) return;
  if (!selection) {
    sendLocalReply(state, { status: 404, body: '', details: 'route_not_found', flag: 'NR' });
    return;
  }
  const { route } = selection;
  if (route.action.kind === 'direct') {
    const levels = [route, selection.virtualHost, selection.config];
    if (selection.config.mostSpecificHeaderMutationsWins) levels.reverse();
    const { status, body } = route.action;
    sendLocalReply(state, {
      status,
      body,
      details: 'direct_response',
      modifyHeaders: (responseHeaders) => {
        state.format.responseHeaders = responseHeaders;
        for (const level of levels) level.response.apply(responseHeaders, state.format);
      },
    });
    return;
  }
  forward(state, selection, route.action, hcm.filters.router, runtime.clusters);
}

/** The RBAC filters in order; a denial is Envoy's local 403 "RBAC: access denied". */
function passesRbac(state: StreamState, selection: RouteSelection | undefined): boolean {
  for (const filter of state.hcm.filters.rbac) {
    const override = overrideFor(selection, filter.name);
    if (override?.disabled) continue;
    if (filter.disabledByDefault && !override) continue;
    const engine = override?.rbac ?? filter.engine;
    const allowed = engine.allows({ headers: state.headers, remoteAddress: state.exchange.remote.address, localPort: state.exchange.local.port });
    if (!allowed) {
      sendLocalReply(state, { status: 403, body: 'RBAC: access denied', details: 'rbac_access_denied_matched_policy[none]' });
      return false;
    }
  }
  return true;
}
