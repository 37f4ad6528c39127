import { isIP } from 'node:net';
import { TypeUrl, type XdsResource } from '../envoy-protos.ts';
import { type Body, httpProtocolOptions, overwriteHeader, seconds, socketAddress, upstreamTls } from './envoy-values.ts';
import { type GatewayState, internalListenerTarget, type LocalService, type OutboundRoute, type PeerPort } from './gateway-state.ts';
import { ClusterName, Header, handshakeHost, peerClusterName, serviceClusterName } from './names.ts';

const CONNECT_TIMEOUT_SECONDS = 10;
/** Kuscia closes idle connections to peer gateways after 15 minutes. */
const PEER_CONNECTION_IDLE_SECONDS = 900;

/**
 * The gateway's clusters. Kuscia has handshake-cluster and the two internal clusters in Envoy's
 * static bootstrap; here they come over CDS too, so the built-in data plane (which has no
 * bootstrap) gets everything from one place.
 */
export function buildClusters(state: GatewayState, outbound: readonly OutboundRoute[], services: readonly LocalService[]): XdsResource[] {
  const target = internalListenerTarget(state);
  const bodies = [
    staticCluster(ClusterName.Handshake, '127.0.0.1', state.ports.handshake),
    // Authenticated peer requests go back into our own internal listener (external-route).
    { ...staticCluster(ClusterName.Internal, target, state.ports.internal), typedExtensionProtocolOptions: httpProtocolOptions(false) },
    { ...staticCluster(ClusterName.InternalGrpc, target, state.ports.internal), typedExtensionProtocolOptions: httpProtocolOptions(true) },
    ...outbound.flatMap((route) => route.endpoint.ports.map((port) => peerCluster(state.domain, route, port))),
    ...services.map(serviceCluster),
  ];
  return bodies.map((body) => ({ typeUrl: TypeUrl.Cluster, name: body.name as string, body }));
}

function staticCluster(name: string, address: string, port: number): Body {
  return {
    name,
    type: 'STATIC',
    connectTimeout: seconds(CONNECT_TIMEOUT_SECONDS),
    loadAssignment: { clusterName: name, endpoints: [{ lbEndpoints: [{ endpoint: { address: socketAddress(address, port) } }] }] },
  };
}

/**
 * `<src>-to-<dst>-<port>`: the peer gateway's endpoint. STRICT_DNS with the endpoint inline rather
 * than EDS: the DomainRoute gives a host name as often as an IP, and EDS carries only resolved
 * addresses; every address the name resolves to is then health-checked on its own (Kuscia does the
 * same). The health check is Kuscia's: the peer's handshake endpoint every 15 s, which its gateway
 * answers without a token.
 */
function peerCluster(self: string, route: OutboundRoute, port: PeerPort): Body {
  const name = peerClusterName(self, route.destination, port.name);
  const host = route.endpoint.host;
  return {
    name,
    type: 'STRICT_DNS',
    connectTimeout: seconds(CONNECT_TIMEOUT_SECONDS),
    dnsLookupFamily: 'V4_ONLY',
    loadAssignment: {
      clusterName: name,
      endpoints: [{ lbEndpoints: [{ endpoint: { address: socketAddress(host, port.port), hostname: host } }] }],
    },
    healthChecks: [
      {
        timeout: seconds(1),
        interval: seconds(15),
        unhealthyInterval: seconds(3),
        unhealthyThreshold: { value: 1 },
        healthyThreshold: { value: 1 },
        httpHealthCheck: {
          host,
          path: `${(port.pathPrefix ?? '').replace(/\/+$/, '')}/handshake`,
          requestHeadersToAdd: [overwriteHeader(Header.Host, handshakeHost(route.destination)), overwriteHeader(Header.Source, self)],
        },
      },
    ],
    typedExtensionProtocolOptions: httpProtocolOptions(port.protocol === 'GRPC', { idleTimeout: seconds(PEER_CONNECTION_IDLE_SECONDS) }),
    // Peers sit behind NATs and proxies that drop idle flows.
    upstreamConnectionOptions: { tcpKeepalive: {} },
    // SNI only for names: an IP literal is not a valid server name.
    ...(port.isTLS ? { transportSocket: upstreamTls(isIP(host) === 0 ? host : undefined) } : {}),
  };
}

/** `service-<svc>`: a local Service, its endpoints over EDS (one ClusterLoadAssignment of the same name). */
function serviceCluster(service: LocalService): Body {
  const protocol = service.protocol ?? 'HTTP';
  return {
    name: serviceClusterName(service.name),
    type: 'EDS',
    edsClusterConfig: { edsConfig: { ads: {}, resourceApiVersion: 'V3' } },
    connectTimeout: seconds(CONNECT_TIMEOUT_SECONDS),
    // With the route's hash on Kuscia-Session-Id, one session stays on one replica.
    lbPolicy: 'RING_HASH',
    typedExtensionProtocolOptions: httpProtocolOptions(protocol === 'GRPC' || protocol === 'GRPCS'),
    ...(protocol === 'HTTPS' || protocol === 'GRPCS' ? { transportSocket: upstreamTls() } : {}),
  };
}
