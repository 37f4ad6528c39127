import { TypeUrl, type XdsResource } from '../envoy-protos.ts';
import { type Body, forwardingAction, match, overwriteHeader } from './envoy-values.ts';
import type { GatewayState, LocalService, OutboundRoute } from './gateway-state.ts';
import { ClusterName, GRPC_CONTENT_TYPE_PREFIX, Header, handshakeHost, RouteConfigName, VirtualHostName } from './names.ts';
import { handshakeRoute, outboundVirtualHost } from './outbound-virtual-host.ts';
import { commonResponseHeaders } from './response-headers.ts';
import { serviceVirtualHost } from './service-virtual-host.ts';

/**
 * `internal-route`, the route table of the internal listener (apps → gateway, and authenticated
 * peer requests re-injected by the external listener). Virtual hosts: our handshake server, one per
 * local service, one per peer domain we have a route to, and the default one. Envoy picks a virtual
 * host by the most specific domain match, so their order does not matter; it is fixed for stable
 * output.
 */
export function buildInternalRoute(
  state: GatewayState,
  idleTimeoutSeconds: number,
  outbound: readonly OutboundRoute[],
  services: readonly LocalService[],
): XdsResource {
  const self = state.domain;
  const virtualHosts = [
    {
      name: VirtualHostName.Handshake,
      domains: [handshakeHost(self)],
      routes: [{ match: { prefix: '/' }, route: forwardingAction(idleTimeoutSeconds, { cluster: ClusterName.Handshake }) }],
    },
    ...services.map((service) => serviceVirtualHost(self, service, idleTimeoutSeconds)),
    ...outbound.flatMap((route) => outboundVirtualHost(self, route, idleTimeoutSeconds) ?? []),
    defaultVirtualHost(self, state.instance, idleTimeoutSeconds),
  ];
  return {
    typeUrl: TypeUrl.RouteConfiguration,
    name: RouteConfigName.Internal,
    body: { name: RouteConfigName.Internal, virtualHosts, responseHeadersToAdd: commonResponseHeaders() },
  };
}

/**
 * Anything no other virtual host claims: the handshake client's requests (routed by the cluster
 * they name), else 404 with Kuscia's error message. Kuscia's gress filter turns its
 * `Kuscia-Error-Message-Internal` into `Kuscia-Error-Message: Domain <ns>.<instance>: <message>`;
 * with standard filters only, the route writes that final header itself.
 */
function defaultVirtualHost(self: string, instance: string, idleTimeoutSeconds: number): Body {
  const notFound = overwriteHeader(Header.ErrorMessage, `Domain ${self}.${instance}: Service "%REQ(:authority)%" not found.`);
  return {
    name: VirtualHostName.Default,
    domains: ['*'],
    routes: [
      handshakeRoute(self, idleTimeoutSeconds),
      {
        name: 'default-route-grpc',
        match: { prefix: '/', headers: [match.prefix(Header.ContentType, GRPC_CONTENT_TYPE_PREFIX)] },
        directResponse: { status: 404 },
        // gRPC clients read the status from grpc-status: 14 is UNAVAILABLE, as Kuscia answers.
        responseHeadersToAdd: [notFound, overwriteHeader('grpc-status', '14')],
      },
      { name: 'default-route', match: { prefix: '/' }, directResponse: { status: 404 }, responseHeadersToAdd: [notFound] },
    ],
  };
}
