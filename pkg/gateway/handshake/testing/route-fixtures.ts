/**
 * Test helpers: DomainRoutes for a source/destination pair and a stand-in for the control plane's
 * DomainRoute controller on the destination side (which, in Kuscia, appends a new revision to
 * `tokens` and marks it ready once the gateways loaded it — the destination's handshake reply
 * waits for exactly that).
 */
import type { KeyObject } from 'node:crypto';
import type { DomainRoute, DomainRouteSpec, DomainRouteStatus } from '../../../crd/index.ts';
import { kusciaPublicKeyOf } from '../crypto.ts';

export interface RoutePair {
  source: string;
  destination: string;
  sourceKey: KeyObject;
  destinationKey: KeyObject;
  rollingUpdatePeriod?: number;
  tokenGenMethod?: 'RSA-GEN' | 'UID-RSA-GEN';
  pathPrefix?: string;
}

export function routeSpec(pair: RoutePair): DomainRouteSpec {
  return {
    source: pair.source,
    destination: pair.destination,
    interConnProtocol: 'kuscia',
    endpoint: { host: `${pair.destination}.example`, ports: [{ name: 'http', protocol: 'HTTP', port: 1080, isTLS: false, ...(pair.pathPrefix ? { pathPrefix: pair.pathPrefix } : {}) }] },
    authenticationType: 'Token',
    tokenConfig: {
      sourcePublicKey: kusciaPublicKeyOf(pair.sourceKey),
      destinationPublicKey: kusciaPublicKeyOf(pair.destinationKey),
      rollingUpdatePeriod: pair.rollingUpdatePeriod ?? 0,
      tokenGenMethod: pair.tokenGenMethod ?? 'RSA-GEN',
    },
  };
}

/** The DomainRoute `<src>-<dst>` as it exists in `namespace` (the source's or the destination's). */
export function domainRoute(pair: RoutePair, namespace: string): DomainRoute {
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'DomainRoute',
    metadata: { name: `${pair.source}-${pair.destination}`, namespace },
    spec: routeSpec(pair),
  };
}

/**
 * The destination-side roll-out of a new revision, as a status change to apply: undefined when the
 * route needs none. Append the revision token to `tokens` (keeping the last two), then mark it ready.
 */
export function destinationRollout(status: DomainRouteStatus | undefined): DomainRouteStatus | undefined {
  const revisionToken = status?.tokenStatus?.revisionToken;
  if (!status || !revisionToken?.token || revisionToken.isReady) return undefined;
  const tokens = [...(status.tokenStatus?.tokens ?? [])];
  if (tokens.at(-1)?.revision !== revisionToken.revision) tokens.push({ ...revisionToken });
  const last = tokens.length - 1;
  tokens[last] = { ...tokens[last]!, isReady: true };
  return { ...status, tokenStatus: { ...status.tokenStatus, revisionToken: { ...revisionToken, isReady: true }, tokens: tokens.slice(-2) } };
}
