/**
 * Where the source's handshake requests go and what they carry, as Kuscia's gateway sends them:
 * to its own Envoy internal listener, which forwards on the `Kuscia-Handshake-Cluster` header to the
 * peer cluster without adding a token; the peer's external listener lets `kuscia-handshake.<ns>.svc`
 * through unauthenticated to its handshake server.
 */
import type { DomainPort, DomainRoute } from '../../crd/index.ts';

export const HANDSHAKE_SERVICE = 'kuscia-handshake';
export const HANDSHAKE_PATH_SUFFIX = '/handshake';
/** The cluster of the lite → master route (Kuscia clusters.GetMasterClusterName). */
export const MASTER_PROXY_CLUSTER = 'service-masterproxy';

export const HandshakeHeaders = {
  source: 'Kuscia-Source',
  originSource: 'Kuscia-Origin-Source',
  host: 'Kuscia-Host',
  cluster: 'Kuscia-Handshake-Cluster',
  tokenRevision: 'Kuscia-Token-Revision',
} as const;

/** Where the master sits, for a lite's route to it (its path prefix comes from masterEndpoint). */
export interface MasterTarget {
  namespace: string;
  pathPrefix?: string;
}

/** `<prefix>/handshake`, the prefix without its trailing slash. */
export function handshakePathOfPrefix(pathPrefix: string | undefined): string {
  return `${(pathPrefix ?? '').replace(/\/$/, '')}${HANDSHAKE_PATH_SUFFIX}`;
}

/** The path on the peer: the first port's pathPrefix (a proxy in front of the peer may need it). */
export function handshakePath(route: DomainRoute, master?: MasterTarget): string {
  if (master && route.spec?.destination === master.namespace) return handshakePathOfPrefix(master.pathPrefix);
  return handshakePathOfPrefix(route.spec?.endpoint?.ports?.[0]?.pathPrefix);
}

const isThirdDomainTransit = (route: DomainRoute): boolean => {
  const transit = route.spec?.transit;
  return transit !== undefined && (transit.transitMethod === undefined || transit.transitMethod === 'THIRD-DOMAIN');
};

/** `kuscia-handshake.<dst>.svc` (through a third domain: that domain's). */
export function handshakeHost(route: DomainRoute): string {
  const ns = isThirdDomainTransit(route) ? (route.spec?.transit?.domain?.domainID ?? '') : (route.spec?.destination ?? '');
  return `${HANDSHAKE_SERVICE}.${ns}.svc`;
}

/** `<src>-to-<dst>-<port>` (Kuscia common.GenerateClusterName). */
export function peerClusterName(source: string, destination: string, portName: string): string {
  return `${source}-to-${destination}-${portName}`;
}

/**
 * The cluster handshakes and heartbeats use: the only port, else the first HTTP one, else the first
 * (GRPC ranks before HTTP in Kuscia's port order).
 */
export function handshakeClusterName(route: DomainRoute, master?: MasterTarget): string {
  const spec = route.spec;
  if (!spec) return '';
  if (master && spec.destination === master.namespace && master.namespace !== spec.source) return MASTER_PROXY_CLUSTER;
  const ports = spec.endpoint?.ports ?? [];
  const rank = (p: DomainPort) => (p.protocol === 'HTTP' ? 1 : 0);
  const sorted = [...ports].sort((a, b) => rank(a) - rank(b));
  const chosen = sorted.length === 1 ? sorted[0] : (sorted.find((p) => p.protocol === 'HTTP') ?? sorted[0]);
  return chosen ? peerClusterName(spec.source, spec.destination, chosen.name) : '';
}

/** The headers of every handshake request (Kuscia utils.DoHTTP), plus any extra ones. */
export function handshakeRequestHeaders(route: DomainRoute, master: MasterTarget | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    [HandshakeHeaders.cluster]: handshakeClusterName(route, master),
    [HandshakeHeaders.source]: route.spec?.source ?? '',
    [HandshakeHeaders.host]: handshakeHost(route),
    ...extra,
  };
}
