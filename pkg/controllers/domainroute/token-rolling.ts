/**
 * Token rotation of a DomainRoute on the control plane (Kuscia's domainroute controller, rolling.go
 * and check.go), as pure functions of the route and the clock: what the next status is, or that
 * there is nothing to do. The handshake itself (filling `revisionToken`) is the gateways' part.
 */
import type { DomainRoute, DomainRouteToken, DomainRouteTokenStatus, Gateway } from '../../crd/index.ts';
import { rfc3339 } from '../common/controller-context.ts';
import { isGatewayLive } from './gateway-liveness.ts';
import { selectInitializer } from './initializer.ts';

/**
 * A revision token not ready after this long is abandoned and a new handshake starts; an expired
 * token stays this long on the destination before it is dropped (Kuscia: domainRouteSyncPeriod).
 */
export const TOKEN_ROLLING_GRACE_MS = 2 * 60_000;
/** Tokens a source DomainRoute keeps: the current one and the one before, so a rotation never cuts traffic. */
export const KEPT_SOURCE_TOKENS = 2;

export interface RollingEnv {
  now: number;
  /** The gateways of the route's namespace. */
  gateways: readonly Gateway[];
  random: () => number;
}

export type RollingStep =
  /** Write this token status. */
  | { kind: 'write'; tokenStatus: DomainRouteTokenStatus; action: string; revision: number }
  /** The source namespace has no live gateway to run a handshake: wait for one. */
  | { kind: 'no-live-gateway' }
  | { kind: 'settled' };

/** A timestamp in ms; a missing one is Go's zero time, before everything. */
function timeOf(t: string | undefined): number {
  if (!t) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function periodMs(dr: DomainRoute): number {
  return Math.max(0, dr.spec?.tokenConfig?.rollingUpdatePeriod ?? 0) * 1000;
}

/**
 * Time for a new revision: the current one has waited more than 2 minutes to become ready (the
 * handshake failed: start over), or — with rotation enabled — it is older than the rolling period
 * or past its expiration.
 */
export function needsRollingToNext(dr: DomainRoute, now: number): boolean {
  const rt = dr.status?.tokenStatus?.revisionToken;
  if (!rt?.isReady) return now - timeOf(rt?.revisionTime) > TOKEN_ROLLING_GRACE_MS;
  const period = periodMs(dr);
  return period > 0 && (now - timeOf(rt.revisionTime) > period || now > timeOf(rt.expirationTime));
}

/** The source side: pre-rolling, keeping a live initializer, post-rolling (in that order, one step per call). */
export function nextSourceStep(dr: DomainRoute, env: RollingEnv): RollingStep {
  const ts = dr.status?.tokenStatus ?? {};
  const rt = ts.revisionToken;
  const revision = rt?.revision ?? 0;
  const initializer = selectInitializer(env.gateways, ts.revisionInitializer, env.now, env.random);
  if (needsRollingToNext(dr, env.now)) {
    if (!initializer) return { kind: 'no-live-gateway' };
    // Same revision number: the destination hands out revision+1 in the handshake.
    const revisionToken: DomainRouteToken = { revisionTime: rfc3339(env.now), revision, isReady: false };
    return { kind: 'write', tokenStatus: { ...ts, revisionInitializer: initializer, revisionToken }, action: 'pre-rolling', revision };
  }
  if (!initializer) return { kind: 'no-live-gateway' };
  if (initializer !== ts.revisionInitializer) return { kind: 'write', tokenStatus: { ...ts, revisionInitializer: initializer }, action: 'initializer selected', revision };
  if (!rt?.isReady) return { kind: 'settled' };
  const tokens = ts.tokens ?? [];
  if (tokens.length > 0 && tokens[tokens.length - 1]!.revision === rt.revision) return { kind: 'settled' };
  return { kind: 'write', tokenStatus: { ...ts, tokens: [...tokens, rt].slice(-KEPT_SOURCE_TOKENS) }, action: 'post-rolling', revision };
}

/**
 * The destination side: drop the oldest token 2 minutes after it expired (rotation only); append a
 * new revision token the handshake stored; mark it ready once every live gateway of the namespace
 * has loaded it (its `effectiveInstances`), which is what the handshake reply waits for.
 */
export function nextDestinationStep(dr: DomainRoute, env: RollingEnv): RollingStep {
  const ts = dr.status?.tokenStatus ?? {};
  const tokens = ts.tokens ?? [];
  const rt = ts.revisionToken;
  const revision = rt?.revision ?? 0;
  if (periodMs(dr) > 0 && tokens.length > 0 && env.now - timeOf(tokens[0]!.expirationTime) > TOKEN_ROLLING_GRACE_MS) {
    return { kind: 'write', tokenStatus: { ...ts, tokens: tokens.slice(1) }, action: 'expired token dropped', revision: tokens[0]!.revision ?? 0 };
  }
  const last = tokens[tokens.length - 1];
  if (rt?.token && (!last || last.revision !== rt.revision)) {
    return { kind: 'write', tokenStatus: { ...ts, tokens: [...tokens, rt] }, action: 'post-rolling, waiting for every gateway to load the token', revision };
  }
  if (rt && !rt.isReady && last && loadedByEveryLiveGateway(last, env)) {
    const ready = { ...last, isReady: true };
    return { kind: 'write', tokenStatus: { ...ts, revisionToken: { ...rt, isReady: true }, tokens: [...tokens.slice(0, -1), ready] }, action: 'token ready', revision };
  }
  return { kind: 'settled' };
}

function loadedByEveryLiveGateway(token: DomainRouteToken, env: RollingEnv): boolean {
  const live = new Set(env.gateways.filter((g) => isGatewayLive(g, env.now)).map((g) => g.metadata.name ?? ''));
  const loaded = new Set((token.effectiveInstances ?? []).filter((name) => live.has(name)));
  return loaded.size === live.size;
}

/**
 * When the route must be looked at again even if nothing changes: a source's ready token at its
 * expiration and at the end of its rolling period, a pending one when it times out; the
 * destination's oldest token when it may be dropped. Only future times.
 */
export function requeueTimes(dr: DomainRoute, side: 'source' | 'destination'): number[] {
  const ts = dr.status?.tokenStatus ?? {};
  const period = periodMs(dr);
  const times: number[] = [];
  if (side === 'source') {
    const rt = ts.revisionToken;
    if (rt?.isReady) {
      times.push(timeOf(rt.expirationTime));
      if (period > 0) times.push(timeOf(rt.revisionTime) + period);
    } else {
      times.push(timeOf(rt?.revisionTime) + TOKEN_ROLLING_GRACE_MS);
    }
  } else if (period > 0 && ts.tokens?.[0]) {
    times.push(timeOf(ts.tokens[0].expirationTime) + TOKEN_ROLLING_GRACE_MS);
  }
  return times.filter((t) => Number.isFinite(t));
}
