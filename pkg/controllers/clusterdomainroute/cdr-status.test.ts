import { describe, expect, it } from 'vitest';
import type { ClusterDomainRoute, DomainRoute, Gateway } from '../../crd/index.ts';
import { rfc3339 } from '../common/controller-context.ts';
import { blockedCdrStatus, desiredCdrStatus } from './cdr-status.ts';
import { withReadyCondition } from './ready-condition.ts';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const cdr = (status?: ClusterDomainRoute['status']): ClusterDomainRoute => ({
  metadata: { name: 'alice-bob' },
  spec: { source: 'alice', destination: 'bob', authenticationType: 'Token', tokenConfig: { tokenGenMethod: 'RSA-GEN' }, endpoint: { host: 'bob.example', ports: [{ name: 'http', protocol: 'HTTP', port: 1080 }] } },
  status,
});
const dr = (tokens: number[], extra: object = {}): DomainRoute => ({ metadata: { name: 'alice-bob' }, status: { isDestinationAuthorized: true, tokenStatus: { tokens: tokens.map((revision) => ({ revision, isReady: true })) }, ...extra } });
const gw = (name: string, healthy: number, heartbeatAgoMs = 10_000): Gateway => ({
  metadata: { name, namespace: 'alice' },
  status: { heartbeatTime: rfc3339(NOW - heartbeatAgoMs), networkStatus: [{ name: 'alice-to-bob-http', type: 'DomainRoute', totalEndpointsCount: 1, healthyEndpointsCount: healthy }] },
});

describe('desiredCdrStatus', () => {
  it('gathers both sides, Ready and endpoint health, and is settled afterwards', () => {
    const next = desiredCdrStatus(cdr(), { sourceRoute: dr([1]), destinationRoute: dr([1]), sourceGateways: [gw('gw-1', 1), gw('gw-2', 0)], now: NOW });
    expect(next?.tokenStatus?.sourceTokens).toEqual([{ revision: 1, isReady: true }]);
    expect(next?.tokenStatus?.destinationTokens).toEqual([{ revision: 1, isReady: true }]);
    expect(next?.conditions).toEqual([{ type: 'Ready', status: 'True', message: 'Success', lastUpdateTime: rfc3339(NOW), lastTransitionTime: rfc3339(NOW) }]);
    expect(next?.endpointStatuses).toEqual({ 'gw-1-http': { endpointHealthy: true } });
    expect(desiredCdrStatus(cdr(next), { sourceRoute: dr([1]), destinationRoute: dr([1]), sourceGateways: [gw('gw-1', 1)], now: NOW + 1000 })).toBeUndefined();
  });

  it('turns endpoints of dead or unhealthy gateways false instead of forgetting them', () => {
    const before = cdr({ endpointStatuses: { 'gw-1-http': { endpointHealthy: true }, 'gw-2-http': { endpointHealthy: true } } });
    const next = desiredCdrStatus(before, { sourceRoute: dr([1]), destinationRoute: dr([1]), sourceGateways: [gw('gw-1', 1, 4 * 60_000), gw('gw-2', 0)], now: NOW });
    expect(next?.endpointStatuses).toEqual({ 'gw-1-http': { endpointHealthy: false }, 'gw-2-http': { endpointHealthy: false } });
  });

  it('keeps a partner side as it was', () => {
    const before = cdr({ tokenStatus: { destinationTokens: [{ revision: 7, isReady: true }] } });
    const next = desiredCdrStatus(before, { sourceRoute: dr([7]), sourceGateways: [], now: NOW });
    expect(next?.tokenStatus?.destinationTokens).toEqual([{ revision: 7, isReady: true }]);
  });
});

describe('Ready condition bookkeeping', () => {
  it('moves lastTransitionTime only when the status changes', () => {
    const first = withReadyCondition(undefined, { status: 'False', reason: 'TokenNotGenerate', message: 'TokenNotGenerate' }, 't1')!;
    const second = withReadyCondition(first, { status: 'False', reason: 'HeartBeatTimeout', message: 'HeartBeatTimeout' }, 't2')!;
    expect(second[0]).toMatchObject({ reason: 'HeartBeatTimeout', lastUpdateTime: 't2', lastTransitionTime: 't1' });
    expect(withReadyCondition(second, { status: 'False', reason: 'HeartBeatTimeout', message: 'HeartBeatTimeout' }, 't3')).toBeUndefined();
    const third = withReadyCondition(second, { status: 'True', reason: '', message: 'Success' }, 't4')!;
    expect(third[0]).toEqual({ type: 'Ready', status: 'True', message: 'Success', lastUpdateTime: 't4', lastTransitionTime: 't4' });
  });

  it('blocks with a reason and keeps the rest of the status', () => {
    const blocked = blockedCdrStatus(cdr({ tokenStatus: { sourceTokens: [{ revision: 1, isReady: true }] } }), 'DoValidate', 'field TokenConfig is null', NOW);
    expect(blocked?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'DoValidate', message: 'field TokenConfig is null' });
    expect(blocked?.tokenStatus?.sourceTokens).toHaveLength(1);
  });
});
