import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.ts';
import { podDeletionGracePeriod } from './pods.ts';

const pod = (spec: Record<string, unknown>, phase = 'Running'): KubeObject => ({ metadata: { name: 'p' }, spec, status: { phase } });

describe('podDeletionGracePeriod (CheckGracefulDelete)', () => {
  it('uses the requested period, else terminationGracePeriodSeconds, for a pod on a node', () => {
    expect(podDeletionGracePeriod(pod({ nodeName: 'n', terminationGracePeriodSeconds: 45 }), undefined)).toBe(45);
    expect(podDeletionGracePeriod(pod({ nodeName: 'n', terminationGracePeriodSeconds: 45 }), 3)).toBe(3);
    expect(podDeletionGracePeriod(pod({ nodeName: 'n' }), undefined)).toBe(30);
    expect(podDeletionGracePeriod(pod({ nodeName: 'n' }), -5)).toBe(1);
  });

  it('is 0 for a pod no node runs: unscheduled, Succeeded or Failed', () => {
    expect(podDeletionGracePeriod(pod({ terminationGracePeriodSeconds: 45 }), 10)).toBe(0);
    expect(podDeletionGracePeriod(pod({ nodeName: 'n' }, 'Succeeded'), undefined)).toBe(0);
    expect(podDeletionGracePeriod(pod({ nodeName: 'n' }, 'Failed'), 10)).toBe(0);
  });
});
