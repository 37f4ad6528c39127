import { describe, expect, it } from 'vitest';
import type { DeployTokenStatus } from '../../crd/index.ts';
import type { Node } from '../../kube/wire.ts';
import { generateDeployToken, nextDeployTokens } from './deploy-tokens.ts';
import { desiredDomainStatus, sameDomainStatus } from './domain-status.ts';

const NOW = Date.parse('2025-01-02T03:04:05Z');

function node(name: string, ready: 'True' | 'False' | undefined, version = 'v1.33.5'): Node {
  return {
    metadata: { name },
    status: {
      nodeInfo: { kubeletVersion: version } as NonNullable<Node['status']>['nodeInfo'],
      conditions: ready ? [{ type: 'Ready', status: ready, lastHeartbeatTime: '2025-01-02T03:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' }] : [],
    },
  };
}

const token = (t: string, state: string, at: string): DeployTokenStatus => ({ token: t, state, lastTransitionTime: at });

describe('nextDeployTokens', () => {
  let n = 0;
  const mint = (): DeployTokenStatus => token(`new-${++n}`, 'unused', '2025-01-03T00:00:00Z');

  it('mints an unused token when there is none', () => {
    expect(nextDeployTokens(undefined, mint)).toEqual([token('new-1', 'unused', '2025-01-03T00:00:00Z')]);
  });

  it('keeps an existing unused token (stable across reconciles)', () => {
    const current = [token('a', 'unused', '2025-01-01T00:00:00Z')];
    expect(nextDeployTokens(current, mint)).toEqual(current);
  });

  it('keeps the newest used token and mints a new unused one once the last was used', () => {
    const current = [token('old', 'used', '2024-12-01T00:00:00Z'), token('a', 'used', '2025-01-01T00:00:00Z')];
    expect(nextDeployTokens(current, mint).map((t) => [t.token, t.state])).toEqual([
      ['a', 'used'],
      [`new-${n}`, 'unused'],
    ]);
  });

  it('drops extra unused tokens, empty tokens and unknown states', () => {
    const current = [token('u1', 'unused', '2025-01-01T00:00:00Z'), token('u2', 'unused', '2025-01-02T00:00:00Z'), token('', 'unused', '2025-01-05T00:00:00Z'), token('x', 'revoked', '2025-01-05T00:00:00Z')];
    expect(nextDeployTokens(current, mint)).toEqual([token('u2', 'unused', '2025-01-02T00:00:00Z')]);
  });

  it('generates 32 random bytes as 64 hex characters', () => {
    const a = generateDeployToken();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateDeployToken()).not.toBe(a);
  });
});

describe('desiredDomainStatus', () => {
  it('reports nodes by name with their Ready condition and kubelet version', () => {
    const status = desiredDomainStatus(undefined, { nodes: [node('n2', 'False'), node('n1', 'True'), node('n3', undefined)], now: NOW, newToken: () => 'tok' });
    expect(status.nodeStatuses).toEqual([
      { name: 'n1', version: 'v1.33.5', status: 'Ready', lastHeartbeatTime: '2025-01-02T03:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' },
      { name: 'n2', version: 'v1.33.5', status: 'NotReady', lastHeartbeatTime: '2025-01-02T03:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' },
      { name: 'n3', version: 'v1.33.5', status: 'NotReady' },
    ]);
    expect(status.deployTokenStatuses).toEqual([{ token: 'tok', state: 'unused', lastTransitionTime: '2025-01-02T03:04:05Z' }]);
  });

  it('is unchanged (nothing to write) once computed, and changes when a node flips', () => {
    const first = desiredDomainStatus(undefined, { nodes: [node('n1', 'True')], now: NOW, newToken: () => 'tok' });
    const again = desiredDomainStatus(first, { nodes: [node('n1', 'True')], now: NOW + 10_000, newToken: () => 'other' });
    expect(sameDomainStatus(first, again)).toBe(true);
    const flipped = desiredDomainStatus(first, { nodes: [node('n1', 'False')], now: NOW, newToken: () => 'other' });
    expect(sameDomainStatus(first, flipped)).toBe(false);
  });

  it('drops nodeStatuses when the domain has no Nodes left', () => {
    const first = desiredDomainStatus(undefined, { nodes: [node('n1', 'True')], now: NOW, newToken: () => 'tok' });
    expect(desiredDomainStatus(first, { nodes: [], now: NOW, newToken: () => 'x' })).not.toHaveProperty('nodeStatuses');
  });
});
