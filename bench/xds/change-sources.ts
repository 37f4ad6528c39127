/**
 * Where a rebuild's GatewayState comes from, and how one DomainRoute changes between rebuilds:
 * - `state`: the GatewayState directly (tokens already plain), isolating the xDS path;
 * - `domain-routes`: 2 × peers DomainRoute objects with RSA-encrypted tokens turned into the state
 *   by pkg/gateway/routes-to-state.ts, as pkg/gateway/gateway.ts rebuilds it on every change.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { DomainRoute, DomainRouteToken } from '../../pkg/crd/index.ts';
import { encryptToken } from '../../pkg/gateway/handshake/index.ts';
import { routesToState, TokenCache } from '../../pkg/gateway/routes-to-state.ts';
import { RouteConfigName, type GatewayState } from '../../pkg/gateway/xds/resources/index.ts';
import { initialRevisions, largeState, peerName, rotateOne, tokenOf, type LargeStateOptions } from './large-state.ts';

export interface ChangeSource {
  /** The state a rebuild would build now (the part of the rebuild before the resource builders). */
  state(): GatewayState;
  /** Applies the `n`th single-DomainRoute token rotation; returns which route changed. */
  change(n: number): RouteChange;
}

export interface RouteChange {
  domainRoute: string;
  /** The RouteConfiguration the token lives in: internal-route (the token we send), external-route (tokens we accept). */
  routeConfig: string;
}

const changeOf = (domainRoute: string, direction: 'out' | 'in'): RouteChange => ({
  domainRoute,
  routeConfig: direction === 'out' ? RouteConfigName.Internal : RouteConfigName.External,
});

export function stateSource(options: LargeStateOptions): ChangeSource {
  const revisions = initialRevisions(options.peers);
  const state = largeState(options, revisions);
  const outbound = [...state.outbound];
  const inbound = [...state.inbound];
  return {
    // Copies of the route lists only: building the state costs next to nothing, as the xDS path alone is measured.
    state: () => ({ ...state, outbound: [...outbound], inbound: [...inbound] }),
    change: (n) => {
      const { index: i, peer, direction } = rotateOne(revisions, n);
      if (direction === 'out') {
        outbound[i] = { ...outbound[i]!, token: tokenOf(peer, 'out', revisions.outbound[i]!) };
        return changeOf(`alice-${peer}`, direction);
      }
      const newest = revisions.inbound[i]!;
      inbound[i] = { ...inbound[i]!, acceptedTokens: [tokenOf(peer, 'in', newest - 1), tokenOf(peer, 'in', newest)] };
      return changeOf(`${peer}-alice`, direction);
    },
  };
}

/** DomainRoutes in alice's namespace, alice's RSA key decrypting every token on every rebuild. */
export function domainRouteSource(options: LargeStateOptions): ChangeSource {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const token = (name: string, revision: number): DomainRouteToken => ({
    isReady: true,
    revision,
    token: encryptToken(publicKey, createHash('sha256').update(`${name}/${revision}`).digest()),
  });
  const routes: DomainRoute[] = [];
  for (let i = 0; i < options.peers; i++) {
    const peer = peerName(i);
    routes.push(domainRoute(`alice-${peer}`, 'alice', peer, options, [token(`alice-${peer}`, 1)]));
    routes.push(domainRoute(`${peer}-alice`, peer, 'alice', options, [token(`${peer}-alice`, 1), token(`${peer}-alice`, 2)]));
  }
  const base = largeState(options, initialRevisions(0));
  // As pkg/gateway/gateway.ts: one cache for the gateway's life, so a rebuild decrypts only new tokens.
  const tokens = new TokenCache();
  return {
    state: () => {
      const { outbound, inbound } = routesToState(routes, 'alice', privateKey as KeyObject, tokens);
      return { ...base, outbound, inbound };
    },
    change: (n) => {
      // Same stride as the state source: even changes rotate an outbound route, odd ones an inbound one.
      const i = (n * 7919) % options.peers;
      const route = routes[2 * i + (n % 2)]!;
      const tokens = route.status!.tokenStatus!.tokens!;
      const next = token(route.metadata!.name!, (tokens.at(-1)!.revision ?? 0) + 1);
      route.status = { tokenStatus: { tokens: [...tokens.slice(-1), next] } };
      return changeOf(route.metadata!.name!, n % 2 === 0 ? 'out' : 'in');
    },
  };
}

function domainRoute(name: string, source: string, destination: string, options: LargeStateOptions, tokens: DomainRouteToken[]): DomainRoute {
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'DomainRoute',
    metadata: { name, namespace: 'alice' },
    spec: {
      source,
      destination,
      authenticationType: 'Token',
      ...(source === 'alice' ? { endpoint: { host: options.peerHost, ports: [{ name: 'http', port: options.peerPort, protocol: 'HTTP' }] } } : {}),
    },
    status: { tokenStatus: { tokens } },
  };
}
