/**
 * A gateway with many peers, as the xDS benchmark feeds it to the resource builders: `peers`
 * domains, each with a DomainRoute out (Token authentication, one HTTP port, the current token) and
 * a DomainRoute in (two accepted token revisions, as rolling keeps them), plus a few local services.
 * Tokens are derived from (peer, direction, revision), so a rotation is "revision + 1" and the
 * same state always builds the same bytes.
 */
import { createHash } from 'node:crypto';
import type { GatewayPorts, GatewayState, InboundRoute, LocalService, OutboundRoute } from '../../pkg/gateway/xds/resources/index.ts';

export interface LargeStateOptions {
  peers: number;
  services: number;
  ports: GatewayPorts;
  /** Where every peer gateway "is": a local HTTP server answering the clusters' health checks. */
  peerHost: string;
  peerPort: number;
}

/** The per-peer token revisions; a rotation bumps one of them. */
export interface TokenRevisions {
  /** Revision of the token we send to each peer (outbound, internal-route). */
  outbound: number[];
  /** Newest revision we accept from each peer (inbound, external-route; the one before stays valid). */
  inbound: number[];
}

export function peerName(i: number): string {
  return `peer-${String(i).padStart(5, '0')}`;
}


/** Base64 of 32 bytes, like the handshake's tokens. */
export function tokenOf(peer: string, direction: 'out' | 'in', revision: number): string {
  return createHash('sha256').update(`${peer}/${direction}/${revision}`).digest('base64');
}

export function initialRevisions(peers: number): TokenRevisions {
  return { outbound: new Array<number>(peers).fill(1), inbound: new Array<number>(peers).fill(2) };
}

export function largeState(options: LargeStateOptions, revisions: TokenRevisions): GatewayState {
  const outbound: OutboundRoute[] = [];
  const inbound: InboundRoute[] = [];
  for (let i = 0; i < options.peers; i++) {
    const peer = peerName(i);
    outbound.push({
      destination: peer,
      endpoint: { host: options.peerHost, ports: [{ name: 'http', port: options.peerPort, protocol: 'HTTP' }] },
      authenticationType: 'Token',
      token: tokenOf(peer, 'out', revisions.outbound[i]!),
    });
    const newest = revisions.inbound[i]!;
    inbound.push({ source: peer, acceptedTokens: [tokenOf(peer, 'in', newest - 1), tokenOf(peer, 'in', newest)] });
  }
  return {
    domain: 'alice',
    instance: 'alice-gw-0',
    version: 'bench',
    ports: options.ports,
    listenAddress: '127.0.0.1',
    outbound,
    inbound,
    services: localServices(options.services),
  };
}

/** Task services of a few running jobs: two replicas each, some open to one peer only, some Domain-scope. */
function localServices(count: number): LocalService[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `job-${String(i).padStart(3, '0')}-fed`,
    ports: [{ name: 'fed', port: 20_000 + i }],
    addresses: [`127.0.1.${(i % 250) + 1}`, `127.0.2.${(i % 250) + 1}`],
    ...(i % 3 === 1 ? { accessDomains: [peerName(i)] } : {}),
    ...(i % 3 === 2 ? { domainScope: true } : {}),
  }));
}

/**
 * The `n`th single-route change: even changes rotate the token we send to one peer (internal-route
 * changes), odd ones the token one peer sends us (external-route changes). Peers are picked in a
 * stride so successive changes touch different DomainRoutes.
 */
export function rotateOne(revisions: TokenRevisions, n: number): { index: number; peer: string; direction: 'out' | 'in' } {
  const peers = revisions.outbound.length;
  const i = (n * 7919) % peers;
  if (n % 2 === 0) {
    revisions.outbound[i]! += 1;
    return { index: i, peer: peerName(i), direction: 'out' };
  }
  revisions.inbound[i]! += 1;
  return { index: i, peer: peerName(i), direction: 'in' };
}
