import { describe, expect, it } from 'vitest';
import { Annotations, API_VERSION, bandwidthLimitAnnotation, Labels, partnerSchedulerName, portNumberEnvName } from './constants.ts';

describe('Kuscia constants', () => {
  it('uses the kuscia.secretflow/v1alpha1 API version', () => {
    expect(API_VERSION).toBe('kuscia.secretflow/v1alpha1');
  });

  it('derives the per-port environment variable name like the original', () => {
    expect(portNumberEnvName('node-manager')).toBe('KUSCIA_PORT_NODE_MANAGER_NUMBER');
    expect(portNumberEnvName('spu')).toBe('KUSCIA_PORT_SPU_NUMBER');
  });

  it('gives partner namespaces their own scheduler name', () => {
    expect(partnerSchedulerName('bob')).toBe('bob-kuscia-scheduler');
  });

  it('builds the bandwidth-limit annotation per destination', () => {
    expect(bandwidthLimitAnnotation('bob')).toBe('kuscia.secretflow/bandwidth-limit-bob');
  });

  it('keeps label and annotation keys valid Kubernetes qualified names', () => {
    const qualified = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
    for (const key of [...Object.values(Labels), ...Object.values(Annotations)]) expect(key).toMatch(qualified);
  });
});
