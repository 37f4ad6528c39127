import { type Body, forwardingAction, headerIfAbsent, match, overwriteHeader } from './envoy-values.ts';
import type { OutboundRoute, PeerPort } from './gateway-state.ts';
import { GRPC_CONTENT_TYPE_PREFIX, Header, peerClusterName, routeName } from './names.ts';

/** Kuscia's gress filter adds this on the internal listener; original peers read it on handshake GETs. */
const ORIGIN_SOURCE = 'Kuscia-Origin-Source';
/** MTLS / None routes send this literal, as Kuscia does (the peer accepts the source without a token). */
export const NOOP_TOKEN = 'noop';

/**
 * VH `<src>-to-<dst>` in internal-route: apps call `<svc>.<dst>.svc` and the request leaves for the
 * peer's gateway with Kuscia's identity headers. Returns undefined for a Token route without a token
 * yet: there is nothing to authenticate with, so `*.<dst>.svc` falls to the default virtual host
 * (404 "Service ... not found.") exactly as in Kuscia until the handshake has finished. The route's
 * clusters exist regardless, because the handshake itself travels through them.
 *
 * Every route here matches only local callers (no `Kuscia-Source`, or our own): a peer's request
 * re-injected from the external listener carries the peer's `Kuscia-Source`, and must not be
 * relayed onward under our identity and token (Kuscia's transit, which would need it, is not
 * supported yet).
 */
export function outboundVirtualHost(self: string, route: OutboundRoute, idleTimeoutSeconds: number): Body | undefined {
  const token = route.authenticationType === 'Token' ? route.token : NOOP_TOKEN;
  if (!token) return undefined;
  const localCaller = match.absentOrOneOf(Header.Source, [self]);
  const ports = grpcFirst(route.endpoint.ports);
  const portRoutes = ports.map((port) => {
    // With several ports, gRPC requests go to the gRPC port by content type; the HTTP port (or the
    // only port) takes everything else.
    const byContentType = port.protocol === 'GRPC' && ports.length > 1;
    return {
      name: peerClusterName(self, route.destination, port.name),
      match: {
        prefix: '/',
        headers: byContentType ? [localCaller, match.prefix(Header.ContentType, GRPC_CONTENT_TYPE_PREFIX)] : [localCaller],
      },
      route: forwardingAction(idleTimeoutSeconds, {
        cluster: peerClusterName(self, route.destination, port.name),
        ...(port.pathPrefix ? { prefixRewrite: `${port.pathPrefix.replace(/\/+$/, '')}/` } : {}),
      }),
      requestHeadersToAdd: [
        overwriteHeader(Header.InterConnProtocol, 'kuscia'),
        overwriteHeader(Header.Host, '%REQ(:authority)%'),
        overwriteHeader(Header.Source, self),
        overwriteHeader(Header.Token, token),
        headerIfAbsent(ORIGIN_SOURCE, self),
      ],
    };
  });
  return {
    name: routeName(self, route.destination),
    domains: [`*.${route.destination}.svc`],
    routes: [handshakeRoute(self, idleTimeoutSeconds), ...portRoutes],
  };
}

/**
 * The handshake client names the peer cluster in `Kuscia-Handshake-Cluster` and sends
 * `kuscia-handshake.<dst>.svc`, which this virtual host's domain also matches once it exists: the
 * handshake must take the same path either way (no token, no path rewrite: the client puts the
 * peer's path prefix in the path itself). Local callers only, like the routes beside it: otherwise
 * a peer could name any of our clusters, local services included, past their access rules.
 */
export function handshakeRoute(self: string, idleTimeoutSeconds: number): Body {
  return {
    name: 'handshake-route',
    match: { prefix: '/', headers: [match.present(Header.HandshakeCluster), match.absentOrOneOf(Header.Source, [self])] },
    // No overall timeout: the destination holds a handshake POST open until its token is ready (up to 30 s).
    route: forwardingAction(idleTimeoutSeconds, { clusterHeader: Header.HandshakeCluster, autoHostRewrite: { value: true } }),
    requestHeadersToAdd: [headerIfAbsent(ORIGIN_SOURCE, self)],
  };
}

/** Kuscia's sortDomainPorts: gRPC ports first so their content-type routes are tried before HTTP's catch-all. */
function grpcFirst(ports: readonly PeerPort[]): PeerPort[] {
  return [...ports.filter((p) => p.protocol === 'GRPC'), ...ports.filter((p) => p.protocol !== 'GRPC')];
}
