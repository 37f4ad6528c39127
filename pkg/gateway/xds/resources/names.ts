/**
 * Resource, virtual host and header names as Kuscia's gateway uses them: they show up in Envoy's
 * admin output, stats, Gateway `networkStatus` and CDR `endpointStatuses`, so they must not drift.
 */

export const ListenerName = {
  Internal: 'internal-listener',
  External: 'external-listener',
} as const;

export const RouteConfigName = {
  Internal: 'internal-route',
  External: 'external-route',
} as const;

export const ClusterName = {
  Handshake: 'handshake-cluster',
  Internal: 'internal-cluster',
  InternalGrpc: 'internal-cluster-grpc',
} as const;

export const VirtualHostName = {
  Handshake: 'handshake-virtual-host',
  Default: 'default-virtual-host',
} as const;

export const Header = {
  Source: 'Kuscia-Source',
  Host: 'Kuscia-Host',
  Token: 'Kuscia-Token',
  HandshakeCluster: 'Kuscia-Handshake-Cluster',
  ErrorMessage: 'Kuscia-Error-Message',
  ErrorMessageInternal: 'Kuscia-Error-Message-Internal',
  InterConnProtocol: 'x-interconn-protocol',
  SessionId: 'Kuscia-Session-Id',
  ContentType: 'content-type',
} as const;

/** The service name the handshake server answers to in every domain. */
export const HANDSHAKE_SERVICE = 'kuscia-handshake';

export const GRPC_CONTENT_TYPE_PREFIX = 'application/grpc';

export function handshakeHost(domain: string): string {
  return `${HANDSHAKE_SERVICE}.${domain}.svc`;
}

/** `<src>-to-<dst>`: the outbound virtual host (and the prefix of its clusters). */
export function routeName(source: string, destination: string): string {
  return `${source}-to-${destination}`;
}

/** `<src>-to-<dst>-<port>`: one cluster per peer endpoint port (Kuscia's GenerateClusterName). */
export function peerClusterName(source: string, destination: string, portName: string): string {
  return `${routeName(source, destination)}-${portName}`;
}

export function serviceClusterName(service: string): string {
  return `service-${service}`;
}

export function serviceVirtualHostName(service: string): string {
  return `service-${service}-internal`;
}

/** Whether a cluster is a peer cluster `<src>-to-<dst>-<port>` (a Gateway reports those as DomainRoute health). */
export function isPeerClusterName(name: string): boolean {
  return name.includes('-to-') && !name.startsWith(serviceClusterName(''));
}
