import { describe, expect, it } from 'vitest';
import type { DomainRoute, DomainRouteToken } from '../../crd/index.ts';
import { rfc3339 } from '../common/controller-context.ts';
import { heartbeatTimedOut, readyVerdict, type ReadyInputs } from './ready-verdict.ts';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const route = (status: DomainRoute['status'] = {}): DomainRoute => ({ metadata: { name: 'alice-bob' }, status });
const tok = (revision: number, heartbeatAgoMs?: number): DomainRouteToken => ({ revision, isReady: true, ...(heartbeatAgoMs === undefined ? {} : { heartBeatTime: rfc3339(NOW - heartbeatAgoMs) }) });
const inputs = (extra: Partial<ReadyInputs>): ReadyInputs => ({ needsToken: true, sourceRoute: route({ isDestinationAuthorized: true }), destinationRoute: route(), sourceTokens: [tok(1)], destinationTokens: [tok(1)], now: NOW, ...extra });

describe('readyVerdict', () => {
  it('is Success when both sides hold the same revision', () => {
    expect(readyVerdict(inputs({}))).toEqual({ status: 'True', reason: '', message: 'Success' });
  });

  it.each<[string, Partial<ReadyInputs>, string, string]>([
    ['destination refused the handshake', { sourceRoute: route(), sourceTokens: [] }, 'DestinationIsNotAuthrized', 'TokenNotGenerate'],
    ['no source token yet', { sourceTokens: [] }, 'TokenNotGenerate', 'TokenNotGenerate'],
    ['destination unreachable', { sourceRoute: route({ isDestinationAuthorized: true, isDestinationUnreachable: true }) }, 'DestinationUnreachable', 'DestinationUnreachable'],
    ['no destination token', { destinationTokens: [] }, 'TokenNotGenerate', 'TokenNotGenerate'],
    ['destination heartbeats stopped', { destinationTokens: [tok(1, 31_000)] }, 'HeartBeatTimeout', 'HeartBeatTimeout'],
    ['sides at different revisions', { destinationTokens: [tok(1), tok(2)] }, 'TokenRevisionNotMatch', 'TokenRevisionNotMatch'],
  ])('%s', (_name, extra, reason, message) => {
    expect(readyVerdict(inputs(extra))).toEqual({ status: 'False', reason, message });
  });

  it('reports the first problem only', () => {
    expect(readyVerdict(inputs({ sourceTokens: [], destinationTokens: [] })).reason).toBe('TokenNotGenerate');
    expect(readyVerdict(inputs({ sourceRoute: route({ isDestinationAuthorized: true, isDestinationUnreachable: true }), destinationTokens: [tok(2)] })).reason).toBe('DestinationUnreachable');
  });

  it('checks only what exists: a partner side has no DomainRoute here', () => {
    expect(readyVerdict(inputs({ sourceRoute: undefined, sourceTokens: [] })).status).toBe('True');
    expect(readyVerdict(inputs({ destinationRoute: undefined, destinationTokens: [] })).status).toBe('True');
  });

  it('needs no token for MTLS or None routes', () => {
    expect(readyVerdict(inputs({ needsToken: false, sourceTokens: [], destinationTokens: [] })).status).toBe('True');
    expect(readyVerdict(inputs({ needsToken: false, sourceTokens: [], sourceRoute: route({ isDestinationUnreachable: true }) })).reason).toBe('DestinationUnreachable');
  });
});

describe('heartbeatTimedOut', () => {
  it('times out only when no ready token had a heartbeat in the last 30 s', () => {
    expect(heartbeatTimedOut([tok(1, 29_000)], NOW)).toBe(false);
    expect(heartbeatTimedOut([tok(1, 31_000), tok(2, 10_000)], NOW)).toBe(false);
    expect(heartbeatTimedOut([tok(1, 31_000), tok(2)], NOW)).toBe(true);
    // Gateways that send no heartbeats at all (older versions), or no ready token: nothing to judge.
    expect(heartbeatTimedOut([tok(1), tok(2)], NOW)).toBe(false);
    expect(heartbeatTimedOut([{ ...tok(1, 60_000), isReady: false }], NOW)).toBe(false);
  });
});
