import { describe, expect, it } from 'vitest';
import { Annotations, Labels } from '../crd/index.ts';
import type { Pod, Service } from '../kube/wire.ts';
import { podServingChanged, servicesToState } from './services-to-state.ts';

function service(name: string, extra: { scope?: string; access?: string; protocol?: string } = {}): Service {
  return {
    metadata: { name, namespace: 'alice', labels: { [Labels.PortScope]: extra.scope ?? 'Cluster' }, annotations: { [Annotations.Protocol]: extra.protocol ?? 'GRPC', [Annotations.AccessDomain]: extra.access ?? '' } },
    spec: { clusterIP: 'None', selector: { app: name }, ports: [{ name: 'fed', port: 8080, targetPort: 'fed' }], publishNotReadyAddresses: true },
  };
}

function pod(app: string, podIP: string | undefined, phase = 'Running'): Pod {
  return {
    metadata: { name: `${app}-0`, namespace: 'alice', labels: { app } },
    spec: { containers: [{ name: 'main', ports: [{ name: 'fed', containerPort: 24837 }] }] },
    status: { phase, ...(podIP ? { podIP } : {}) },
  };
}

describe('servicesToState', () => {
  it("serves a Service on its pods' IPs and named target ports, with its protocol, access domains and scope", () => {
    const out = servicesToState([service('task-0-fed', { access: 'bob, carol' }), service('task-0-inner', { scope: 'Domain', protocol: 'http' })], [pod('task-0-fed', '127.0.0.1'), pod('task-0-inner', '127.0.0.2')]);
    expect(out).toEqual([
      { name: 'task-0-fed', protocol: 'GRPC', ports: [{ name: 'fed', port: 24837 }], addresses: ['127.0.0.1'], accessDomains: ['bob', 'carol'] },
      { name: 'task-0-inner', protocol: 'HTTP', ports: [{ name: 'fed', port: 24837 }], addresses: ['127.0.0.2'], domainScope: true },
    ]);
  });

  it('leaves out pods without an IP and finished pods', () => {
    const out = servicesToState([service('a'), service('b')], [pod('a', undefined), pod('b', '127.0.0.1', 'Succeeded')]);
    expect(out.map((s) => [s.name, s.addresses, s.ports])).toEqual([['a', [], []], ['b', [], []]]);
  });
});

describe('podServingChanged', () => {
  it('sees a new IP or readiness, not a container state change', () => {
    const before = pod('a', '127.0.0.1');
    const restarted: Pod = { ...before, status: { ...before.status, containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: true, restartCount: 1 }] } };
    expect(podServingChanged(before, restarted)).toBe(false);
    expect(podServingChanged(before, pod('a', '127.0.0.2'))).toBe(true);
    expect(podServingChanged(before, pod('a', '127.0.0.1', 'Succeeded'))).toBe(true);
    expect(podServingChanged(before, { ...before, status: { ...before.status, conditions: [{ type: 'Ready', status: 'True' }] } })).toBe(true);
  });
});
