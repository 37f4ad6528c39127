import { TypeUrl, type XdsResource } from '../envoy-protos.ts';
import { type Body, FilterName, forwardingAction, match, overwriteHeader } from './envoy-values.ts';
import type { GatewayState, InboundRoute } from './gateway-state.ts';
import { ClusterName, GRPC_CONTENT_TYPE_PREFIX, Header, handshakeHost, RouteConfigName, VirtualHostName } from './names.ts';
import { rbacDisabled, rbacPerRoute } from './rbac.ts';
import { commonResponseHeaders } from './response-headers.ts';

/**
 * `external-route`, the route table of the external listener (peers → gateway). Kuscia's custom
 * gress filter rewrote Host from `Kuscia-Host` before routing; standard Envoy routes on the Host the
 * peer sent (its view of our address), so:
 * - the handshake is recognised by `Kuscia-Host: kuscia-handshake.<ns>.svc` (and by Host, for
 *   callers that address it directly), with token authentication off;
 * - everything else is authenticated (RBAC per route) and re-injected into the internal listener
 *   with `Kuscia-Host` as Host, where the service virtual hosts and their access rules apply.
 *
 * The token policies of all sources sit once on the default virtual host; routes that need another
 * policy override it (most specific per-filter config wins: route, then virtual host). Inbound
 * `requestHeadersToAdd` are per source, which Envoy can only express by route: a source with such
 * headers gets its own routes, matched on `Kuscia-Source`, admitting that source alone.
 */
export function buildExternalRoute(state: GatewayState, idleTimeoutSeconds: number, inbound: readonly InboundRoute[]): XdsResource {
  const self = state.domain;
  const toHandshake = (name: string | undefined, headers: Body[]): Body => ({
    ...(name ? { name } : {}),
    match: { prefix: '/', ...(headers.length > 0 ? { headers } : {}) },
    route: forwardingAction(idleTimeoutSeconds, { cluster: ClusterName.Handshake }),
    typedPerFilterConfig: { [FilterName.Rbac]: rbacDisabled() },
  });
  const withHeaders = inbound.filter((route) => Object.keys(route.requestHeadersToAdd ?? {}).length > 0);
  const virtualHosts = [
    { name: VirtualHostName.Handshake, domains: [handshakeHost(self)], routes: [toHandshake(undefined, [])] },
    {
      name: VirtualHostName.Default,
      domains: ['*'],
      routes: [
        toHandshake('handshake-route', [match.exact(Header.Host, handshakeHost(self))]),
        ...withHeaders.flatMap((route) => sourceRoutes(route, idleTimeoutSeconds)),
        ...reinjectRoutes('default-route', [], idleTimeoutSeconds),
      ],
      typedPerFilterConfig: { [FilterName.Rbac]: rbacPerRoute(inbound) },
    },
  ];
  return {
    typeUrl: TypeUrl.RouteConfiguration,
    name: RouteConfigName.External,
    body: { name: RouteConfigName.External, virtualHosts, responseHeadersToAdd: commonResponseHeaders() },
  };
}

/** One source's own routes: its extra headers, and a policy admitting it alone. */
function sourceRoutes(route: InboundRoute, idleTimeoutSeconds: number): Body[] {
  const headers = Object.entries(route.requestHeadersToAdd ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => overwriteHeader(key, value));
  return reinjectRoutes(`source-${route.source}`, [match.exact(Header.Source, route.source)], idleTimeoutSeconds).map((r) => ({
    ...r,
    requestHeadersToAdd: headers,
    typedPerFilterConfig: { [FilterName.Rbac]: rbacPerRoute([route]) },
  }));
}

/**
 * Back into the internal listener: gRPC always over the HTTP/2 cluster, whatever protocol the hop
 * before used, the rest in the protocol the peer spoke. The peer's token
 * and any handshake cluster name are dropped on the way: local apps have no use for the token, and
 * a handshake header would let the peer pick one of our clusters by name.
 */
function reinjectRoutes(name: string, headers: Body[], idleTimeoutSeconds: number): Body[] {
  const action = (cluster: string): Body => forwardingAction(idleTimeoutSeconds, { cluster, hostRewriteHeader: Header.Host });
  const removed = [Header.Token, Header.HandshakeCluster];
  return [
    {
      name: `${name}-grpc`,
      match: { prefix: '/', headers: [...headers, match.prefix(Header.ContentType, GRPC_CONTENT_TYPE_PREFIX)] },
      route: action(ClusterName.InternalGrpc),
      requestHeadersToRemove: removed,
    },
    {
      name,
      match: { prefix: '/', ...(headers.length > 0 ? { headers } : {}) },
      route: action(ClusterName.Internal),
      requestHeadersToRemove: removed,
    },
  ];
}
