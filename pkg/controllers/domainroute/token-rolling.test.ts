import { describe, expect, it } from 'vitest';
import type { DomainRoute, DomainRouteTokenStatus, Gateway } from '../../crd/index.ts';
import { rfc3339 } from '../common/controller-context.ts';
import { needsRollingToNext, nextDestinationStep, nextSourceStep, requeueTimes, type RollingEnv } from './token-rolling.ts';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const MIN = 60_000;
const at = (offsetMs: number) => rfc3339(NOW + offsetMs);

function route(namespace: string, tokenStatus: DomainRouteTokenStatus, period = 600): DomainRoute {
  return {
    metadata: { name: 'alice-bob', namespace },
    spec: { source: 'alice', destination: 'bob', authenticationType: 'Token', tokenConfig: { tokenGenMethod: 'RSA-GEN', rollingUpdatePeriod: period, sourcePublicKey: 'a', destinationPublicKey: 'b' } },
    status: { tokenStatus },
  };
}
const gateway = (name: string, heartbeatAgoMs: number | undefined): Gateway => ({ metadata: { name, namespace: 'alice' }, status: heartbeatAgoMs === undefined ? {} : { heartbeatTime: at(-heartbeatAgoMs) } });
const env = (gateways: Gateway[], random = () => 0): RollingEnv => ({ now: NOW, gateways, random });
const token = (revision: number, extra: object = {}) => ({ revision, isReady: true, token: `t${revision}`, revisionTime: at(-MIN), expirationTime: at(20 * MIN), ...extra });

describe('needsRollingToNext', () => {
  it('starts a route without any token at once', () => {
    expect(needsRollingToNext(route('alice', {}), NOW)).toBe(true);
  });
  it('gives a pending handshake 2 minutes', () => {
    expect(needsRollingToNext(route('alice', { revisionToken: { isReady: false, revision: 1, revisionTime: at(-90_000) } }), NOW)).toBe(false);
    expect(needsRollingToNext(route('alice', { revisionToken: { isReady: false, revision: 1, revisionTime: at(-121_000) } }), NOW)).toBe(true);
  });
  it('rolls a ready token after the period or its expiration, never when rotation is off', () => {
    expect(needsRollingToNext(route('alice', { revisionToken: token(1, { revisionTime: at(-9 * MIN) }) }), NOW)).toBe(false);
    expect(needsRollingToNext(route('alice', { revisionToken: token(1, { revisionTime: at(-11 * MIN) }) }), NOW)).toBe(true);
    expect(needsRollingToNext(route('alice', { revisionToken: token(1, { expirationTime: at(-1000) }) }), NOW)).toBe(true);
    expect(needsRollingToNext(route('alice', { revisionToken: token(1, { revisionTime: at(-100 * MIN), expirationTime: at(-MIN) }) }, 0), NOW)).toBe(false);
  });
});

describe('nextSourceStep', () => {
  it('waits for a live gateway before a handshake can start', () => {
    expect(nextSourceStep(route('alice', {}), env([gateway('gw-old', 4 * MIN)])).kind).toBe('no-live-gateway');
  });

  it('pre-rolls: a fresh revision token at the same revision, with a live initializer', () => {
    const step = nextSourceStep(route('alice', { revisionToken: token(3, { revisionTime: at(-11 * MIN) }), tokens: [token(2), token(3)] }), env([gateway('gw-1', 10_000)]));
    expect(step).toMatchObject({ kind: 'write', action: 'pre-rolling' });
    if (step.kind !== 'write') return;
    expect(step.tokenStatus.revisionInitializer).toBe('gw-1');
    expect(step.tokenStatus.revisionToken).toEqual({ revision: 3, isReady: false, revisionTime: at(0) });
    // The tokens in use stay until a new one is ready.
    expect(step.tokenStatus.tokens?.map((t) => t.revision)).toEqual([2, 3]);
  });

  it('keeps a live initializer and replaces a dead one', () => {
    const pending = { isReady: false, revision: 1, revisionTime: at(-10_000) };
    expect(nextSourceStep(route('alice', { revisionInitializer: 'gw-2', revisionToken: pending }), env([gateway('gw-1', 0), gateway('gw-2', 0)])).kind).toBe('settled');
    const step = nextSourceStep(route('alice', { revisionInitializer: 'gw-2', revisionToken: pending }), env([gateway('gw-1', 0), gateway('gw-2', 5 * MIN)]));
    expect(step).toMatchObject({ kind: 'write', tokenStatus: { revisionInitializer: 'gw-1' } });
    // A gateway that has not reported a heartbeat yet has just started: eligible.
    expect(nextSourceStep(route('alice', { revisionInitializer: 'gw-new', revisionToken: pending }), env([gateway('gw-new', undefined)])).kind).toBe('settled');
  });

  it('post-rolls: a ready revision token joins the tokens, of which the last two are kept', () => {
    const status = (tokens: ReturnType<typeof token>[], rt: ReturnType<typeof token>) => route('alice', { revisionInitializer: 'gw-1', revisionToken: rt, tokens });
    const e = env([gateway('gw-1', 0)]);
    const first = nextSourceStep(status([], token(1)), e);
    expect(first.kind === 'write' && first.tokenStatus.tokens?.map((t) => t.revision)).toEqual([1]);
    const third = nextSourceStep(status([token(1), token(2)], token(3)), e);
    expect(third.kind === 'write' && third.tokenStatus.tokens?.map((t) => t.revision)).toEqual([2, 3]);
    expect(nextSourceStep(status([token(2), token(3)], token(3)), e).kind).toBe('settled');
  });
});

describe('nextDestinationStep', () => {
  const bob = [{ metadata: { name: 'gw-b', namespace: 'bob' }, status: { heartbeatTime: at(0) } }];

  it('appends the token the handshake stored, then marks it ready once every live gateway loaded it', () => {
    const stored = { revision: 4, isReady: false, token: 'enc', revisionTime: at(0), expirationTime: at(20 * MIN) };
    const appended = nextDestinationStep(route('bob', { revisionToken: stored, tokens: [token(3)] }), env(bob));
    expect(appended.kind === 'write' && appended.tokenStatus.tokens?.map((t) => [t.revision, t.isReady])).toEqual([[3, true], [4, false]]);
    if (appended.kind !== 'write') return;
    expect(nextDestinationStep(route('bob', appended.tokenStatus), env(bob)).kind).toBe('settled');
    const loaded = { ...appended.tokenStatus, tokens: [token(3), { ...stored, effectiveInstances: ['gw-b'] }] };
    const ready = nextDestinationStep(route('bob', loaded), env(bob));
    expect(ready).toMatchObject({ kind: 'write', action: 'token ready' });
    if (ready.kind !== 'write') return;
    expect(ready.tokenStatus.revisionToken?.isReady).toBe(true);
    expect(ready.tokenStatus.tokens?.map((t) => t.isReady)).toEqual([true, true]);
  });

  it('drops the oldest token 2 minutes after it expired, only when rotating', () => {
    const tokens = [token(1, { expirationTime: at(-3 * MIN) }), token(2)];
    const step = nextDestinationStep(route('bob', { revisionToken: token(2), tokens }), env([]));
    expect(step.kind === 'write' && step.tokenStatus.tokens?.map((t) => t.revision)).toEqual([2]);
    expect(nextDestinationStep(route('bob', { revisionToken: token(2), tokens: [token(1, { expirationTime: at(-MIN) }), token(2)] }), env([])).kind).toBe('settled');
    expect(nextDestinationStep(route('bob', { revisionToken: token(2), tokens }, 0), env([])).kind).toBe('settled');
  });
});

describe('requeueTimes', () => {
  it('wakes a source at its expiration and at the end of the period, a pending one at its timeout', () => {
    expect(requeueTimes(route('alice', { revisionToken: token(1) }), 'source')).toEqual([NOW + 20 * MIN, NOW - MIN + 10 * MIN]);
    expect(requeueTimes(route('alice', { revisionToken: { isReady: false, revisionTime: at(0) } }), 'source')).toEqual([NOW + 2 * MIN]);
    expect(requeueTimes(route('bob', { tokens: [token(1)] }), 'destination')).toEqual([NOW + 22 * MIN]);
  });
});
