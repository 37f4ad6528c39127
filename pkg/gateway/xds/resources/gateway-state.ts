/**
 * What one gateway instance serves, as plain data: the input of the resource builders. It is filled
 * from the domain's DomainRoutes (tokens already decrypted), Services and Endpoints; nothing here
 * reads the API. Field meanings follow Kuscia's DomainRoute spec and its gateway (kuscia.md §3).
 */

/** A port of a peer gateway's endpoint (DomainRoute `spec.endpoint.ports[]`). */
export interface PeerPort {
  name: string;
  port: number;
  protocol: 'HTTP' | 'GRPC';
  /** The peer gateway sits behind an L7 proxy under this path (Kuscia's `pathPrefix`). */
  pathPrefix?: string;
  isTLS?: boolean;
}

/** A DomainRoute whose source is this domain: how our apps reach `*.<destination>.svc`. */
export interface OutboundRoute {
  destination: string;
  endpoint: { host: string; ports: readonly PeerPort[] };
  authenticationType: 'Token' | 'MTLS' | 'None';
  /**
   * The base64 token of the latest revision, sent as `Kuscia-Token`. Absent until the handshake
   * has produced one; Token routes without it get their clusters (the handshake travels through
   * them) but no virtual host yet, as in Kuscia.
   */
  token?: string;
}

/** A DomainRoute whose destination is this domain: which peer may call in, and how it proves it. */
export interface InboundRoute {
  source: string;
  /**
   * Base64 tokens of the revisions still accepted, oldest first (only the last two count: rolling
   * keeps the previous one valid until the peer has the new one), or `noop` for MTLS / None
   * authentication (the source is accepted without a token).
   */
  acceptedTokens: readonly string[] | 'noop';
  /** Headers added to this source's requests before they reach local services (e.g. Authorization). */
  requestHeadersToAdd?: Readonly<Record<string, string>>;
}

/** Kuscia's `kuscia.secretflow/protocol` annotation values. */
export type ServiceProtocol = 'HTTP' | 'HTTPS' | 'GRPC' | 'GRPCS';

/** A Service of this domain with its ready endpoints. */
export interface LocalService {
  name: string;
  /**
   * How the gateway talks to the endpoints (Kuscia's `kuscia.secretflow/protocol` annotation; one
   * per Service, since the Service is one cluster). Default HTTP.
   */
  protocol?: ServiceProtocol;
  /** The endpoint (target) ports: every address is served on each of them. */
  ports: readonly { name: string; port: number }[];
  /** Ready endpoint IPs. */
  addresses: readonly string[];
  /** `kuscia.secretflow/access-domain`: the other domains allowed to call it; absent = every peer. */
  accessDomains?: readonly string[];
  /** Port scope `Domain`: only this domain may call it (peers get 404). */
  domainScope?: boolean;
}

export interface GatewayPorts {
  /** Apps → gateway. Kuscia binds 80; processes sharing one host need distinct ports. */
  internal: number;
  /** Peers → gateway (Kuscia: 1080). */
  external: number;
  /** The local handshake HTTP server on 127.0.0.1 (Kuscia: 1054). */
  handshake: number;
}

export interface GatewayState {
  /** The domain (namespace) this gateway serves. */
  domain: string;
  /** This gateway instance's name (Kuscia: the hostname; also the Gateway object's name). */
  instance: string;
  /** Reported in the 401 body as `kuscia`. */
  version: string;
  ports: GatewayPorts;
  /** Where both listeners bind; default 0.0.0.0. */
  listenAddress?: string;
  /** Per-stream idle timeout of forwarded requests; Kuscia's gateway `idleTimeout`, default 60 s. */
  idleTimeoutSeconds?: number;
  outbound: readonly OutboundRoute[];
  inbound: readonly InboundRoute[];
  services: readonly LocalService[];
}

export const DEFAULT_EXTERNAL_PORT = 1080;
export const DEFAULT_HANDSHAKE_PORT = 1054;
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
const WILDCARD_ADDRESS = '0.0.0.0';

export function listenAddressOf(state: GatewayState): string {
  return state.listenAddress ?? WILDCARD_ADDRESS;
}

/** Where the gateway reaches its own internal listener (re-injection of authenticated peer requests). */
export function internalListenerTarget(state: GatewayState): string {
  const address = listenAddressOf(state);
  return address === WILDCARD_ADDRESS ? '127.0.0.1' : address;
}
