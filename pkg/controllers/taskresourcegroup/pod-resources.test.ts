import { describe, expect, it } from 'vitest';
import type { Pod } from '../../kube/wire.ts';
import { summedPodResources } from './pod-resources.ts';

describe('summed pod resources', () => {
  it('adds each resource over the containers, keeping the first format', () => {
    const pod: Pod = {
      spec: {
        containers: [
          { name: 'a', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1' } } },
          { name: 'b', resources: { requests: { cpu: '1500m', memory: '512Mi', 'kuscia.io/bandwidth': '100' } } },
          { name: 'c' },
        ],
      },
    };
    expect(summedPodResources(pod)).toEqual({
      requests: { cpu: '2', memory: '1536Mi', 'kuscia.io/bandwidth': '100' },
      limits: { cpu: '1' },
    });
  });

  it('is empty for a pod without resources', () => {
    expect(summedPodResources({ spec: { containers: [{ name: 'a' }] } })).toEqual({});
  });
});
