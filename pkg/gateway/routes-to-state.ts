/**
 * A domain's DomainRoutes as the gateway state's outbound and inbound routes: tokens are stored
 * in the routes encrypted with this domain's own public key (Kuscia's DomainRouteToken.token);
 * here they are decrypted into the base64 values peers send as `Kuscia-Token`.
 */
import type { KeyObject } from 'node:crypto';
import type { DomainRoute, DomainRouteToken } from '../crd/index.ts';
import { decryptToken, kusciaTokenHeaderValue, TOKEN_SIZE } from './handshake/crypto.ts';
import { ACCEPTED_TOKEN_REVISIONS, NOOP_TOKEN, type InboundRoute, type OutboundRoute, type PeerPort } from './xds/resources/index.ts';

export interface RouteProblem {
  route: string;
  problem: string;
}

export interface RouteState {
  outbound: OutboundRoute[];
  inbound: InboundRoute[];
  /** Routes (or tokens) that could not be used, for the log: a bad token must not hide the others. */
  problems: RouteProblem[];
}

/** Token authentication needs the handshake's tokens; MTLS and None accept the source as it is. */
const usesTokens = (route: DomainRoute) => (route.spec?.authenticationType ?? 'Token') === 'Token';

/** Tokens by revision, oldest first, each revision once (a revision token may already be in `tokens`). */
function tokensByRevision(route: DomainRoute, includeUnready: boolean): DomainRouteToken[] {
  const status = route.status?.tokenStatus;
  const all = [...(status?.tokens ?? [])];
  const pending = status?.revisionToken;
  if (pending?.token && (pending.isReady || includeUnready)) all.push(pending);
  const byRevision = new Map<number, DomainRouteToken>();
  for (const t of all) if (t.token) byRevision.set(t.revision ?? 0, t);
  return [...byRevision.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
}

/**
 * Decrypted tokens by their stored (encrypted) text: an RSA decryption costs ~0.3 ms, and every
 * rebuild sees every route's tokens again (3,000 of them at 1,000 peers). Entries not seen in a
 * rebuild are dropped, so the cache holds the current tokens only.
 */
export class TokenCache {
  #entries = new Map<string, string>();
  #seen = new Map<string, string>();

  decrypt(privateKey: KeyObject, stored: string): string {
    let header = this.#entries.get(stored) ?? this.#seen.get(stored);
    if (header === undefined) header = kusciaTokenHeaderValue(decryptToken(privateKey, stored, TOKEN_SIZE));
    this.#seen.set(stored, header);
    return header;
  }

  /** Ends a rebuild: what it did not use is forgotten. */
  sweep(): void {
    this.#entries = this.#seen;
    this.#seen = new Map();
  }
}

export function routesToState(routes: readonly DomainRoute[], domain: string, privateKey: KeyObject, cache: TokenCache = new TokenCache()): RouteState {
  const state: RouteState = { outbound: [], inbound: [], problems: [] };
  const decrypt = (route: DomainRoute, token: DomainRouteToken): string | undefined => {
    try {
      return cache.decrypt(privateKey, token.token ?? '');
    } catch (err) {
      state.problems.push({ route: route.metadata?.name ?? '', problem: `token revision ${token.revision ?? 0}: ${(err as Error).message}` });
      return undefined;
    }
  };
  for (const route of routes) {
    const spec = route.spec;
    if (!spec || route.metadata?.deletionTimestamp) continue;
    // Transit routes relay through a third domain: not served by this gateway yet.
    if (spec.transit) {
      state.problems.push({ route: route.metadata?.name ?? '', problem: 'transit routes are not supported yet' });
      continue;
    }
    const authenticationType = spec.authenticationType ?? 'Token';
    if (spec.source === domain && spec.destination !== domain) {
      if (!spec.endpoint?.host || (spec.endpoint.ports ?? []).length === 0) {
        state.problems.push({ route: route.metadata?.name ?? '', problem: 'spec.endpoint has no host or no ports' });
        continue;
      }
      // The source sends the newest token it holds (a ready revision token or the last rolled one).
      const newest = usesTokens(route) ? tokensByRevision(route, false).at(-1) : undefined;
      const token = newest ? decrypt(route, newest) : undefined;
      state.outbound.push({
        destination: spec.destination,
        endpoint: { host: spec.endpoint.host, ports: (spec.endpoint.ports ?? []).map((p): PeerPort => ({ name: p.name, port: p.port, protocol: p.protocol === 'GRPC' ? 'GRPC' : 'HTTP', pathPrefix: p.pathPrefix, isTLS: p.isTLS })) },
        authenticationType,
        // MTLS and None send the literal noop (the builders do): no token to decrypt.
        ...(token ? { token } : {}),
      });
    } else if (spec.destination === domain && spec.source !== domain) {
      // The destination accepts the revision being handshaken too: it must be loaded before the
      // gateway can mark it ready and answer the source (Kuscia's destination wait).
      const accepted = usesTokens(route)
        ? tokensByRevision(route, true)
            .slice(-ACCEPTED_TOKEN_REVISIONS)
            .map((t) => decrypt(route, t))
            .filter((t): t is string => t !== undefined)
        : NOOP_TOKEN;
      state.inbound.push({ source: spec.source, acceptedTokens: accepted, ...(spec.requestHeadersToAdd ? { requestHeadersToAdd: spec.requestHeadersToAdd } : {}) });
    }
  }
  cache.sweep();
  return state;
}
