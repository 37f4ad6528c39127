import type { DomainRoute, DomainRouteToken } from '../../crd/index.ts';
import { READY, ReadyReason, notReady, type ReadyVerdict } from './reasons.ts';

/** How often the initializer gateway checks its handshake with the peer (Kuscia: GatewayHealthCheckDuration). */
export const GATEWAY_HEALTH_CHECK_MS = 15_000;
/** Destination tokens without a heartbeat for this long mean the peers no longer talk. */
export const HEARTBEAT_TIMEOUT_MS = 2 * GATEWAY_HEALTH_CHECK_MS;

export interface ReadyInputs {
  /** The route authenticates (or encrypts) with a handshake token. */
  needsToken: boolean;
  /** The DomainRoute in the source namespace (none when the source is a partner). */
  sourceRoute?: DomainRoute;
  /** The DomainRoute in the destination namespace (none when the destination is a partner). */
  destinationRoute?: DomainRoute;
  sourceTokens: readonly DomainRouteToken[];
  destinationTokens: readonly DomainRouteToken[];
  now: number;
}

/**
 * Kuscia's Ready condition from the two DomainRoutes, first failure wins: no source token (the
 * destination refused us, or no token yet), destination unreachable, no destination token, the
 * destination's heartbeats stopped, or the two sides are at different revisions.
 *
 * Routes without tokens (MTLS, None) skip the token checks: Kuscia would call them TokenNotGenerate
 * forever, although their gateways accept the peer without any token.
 */
export function readyVerdict(input: ReadyInputs): ReadyVerdict {
  const { needsToken, sourceRoute, destinationRoute, sourceTokens, destinationTokens } = input;
  if (sourceRoute) {
    if (needsToken && sourceTokens.length === 0) {
      const reason = sourceRoute.status?.isDestinationAuthorized ? ReadyReason.TokenNotGenerate : ReadyReason.DestinationIsNotAuthorized;
      return notReady(reason, ReadyReason.TokenNotGenerate);
    }
    if (sourceRoute.status?.isDestinationUnreachable) return notReady(ReadyReason.DestinationUnreachable, ReadyReason.DestinationUnreachable);
  }
  if (!needsToken) return READY;
  if (destinationRoute && destinationTokens.length === 0) return notReady(ReadyReason.TokenNotGenerate, ReadyReason.TokenNotGenerate);
  if (heartbeatTimedOut(destinationTokens, input.now)) return notReady(ReadyReason.HeartBeatTimeout, ReadyReason.HeartBeatTimeout);
  const lastSource = sourceTokens[sourceTokens.length - 1];
  const lastDestination = destinationTokens[destinationTokens.length - 1];
  if (lastSource && lastDestination && (lastSource.revision ?? 0) !== (lastDestination.revision ?? 0)) {
    return notReady(ReadyReason.TokenRevisionNotMatch, ReadyReason.TokenRevisionNotMatch);
  }
  return READY;
}

/**
 * True when the ready tokens have heartbeats and none is recent. Tokens from gateways that never
 * send heartbeats (older versions) do not count as timed out.
 */
export function heartbeatTimedOut(tokens: readonly DomainRouteToken[], now: number): boolean {
  const beats = tokens.filter((t) => t.isReady).map((t) => (t.heartBeatTime ? Date.parse(t.heartBeatTime) : Number.NaN));
  if (beats.length === 0 || beats.every((b) => Number.isNaN(b))) return false;
  return !beats.some((b) => !Number.isNaN(b) && now - b <= HEARTBEAT_TIMEOUT_MS);
}

/**
 * Milliseconds until the ready tokens' heartbeats time out, when they have any: the route must be
 * looked at then, not at the next periodic sync (up to 30 s later), so a stopped peer shows within
 * the heartbeat timeout.
 */
export function msUntilHeartbeatTimeout(tokens: readonly DomainRouteToken[], now: number): number | undefined {
  const beats = tokens.filter((t) => t.isReady && t.heartBeatTime).map((t) => Date.parse(t.heartBeatTime!)).filter((b) => !Number.isNaN(b));
  if (beats.length === 0) return undefined;
  const deadline = Math.max(...beats) + HEARTBEAT_TIMEOUT_MS;
  return deadline > now ? deadline - now : undefined;
}
