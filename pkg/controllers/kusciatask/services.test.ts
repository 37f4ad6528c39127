import { describe, expect, it } from 'vitest';
import { Labels } from '../../crd/index.ts';
import type { Pod } from '../../kube/wire.ts';
import { buildPartyKit } from './party-kit.ts';
import { buildService, isServiceOfPod } from './services.ts';
import { appImageFixture, taskFixture } from './testing/fixtures.ts';

const task = taskFixture();
task.spec.parties[0]!.bandwidthLimits = [{ destinationID: 'bob', limitKBps: 2048 }];
const kit = buildPartyKit(task, task.spec.parties[0]!, appImageFixture(), false);
const pod: Pod = {
  metadata: { name: 'task-psi-client-0', namespace: 'alice', uid: 'pod-uid', labels: { [Labels.PodIdentity]: 'task-uid-1-client-0', [Labels.TaskUID]: 'task-uid-1' } },
};

describe('buildService', () => {
  it('exposes a Cluster port through the gateway to the task domains', () => {
    const svc = buildService(task, kit, pod, 'task-psi-client-0-spu', { name: 'spu', port: 20001, scope: 'Cluster', protocol: 'GRPC' });
    expect(svc.metadata).toEqual({
      name: 'task-psi-client-0-spu',
      namespace: 'alice',
      labels: {
        'kuscia.secretflow/port-name': 'spu',
        'kuscia.secretflow/port-scope': 'Cluster',
        'kuscia.secretflow/task-uid': 'task-uid-1',
        'kuscia.secretflow/loadbalancer': 'domainroute',
      },
      annotations: {
        'kuscia.secretflow/initiator': 'alice',
        'kuscia.secretflow/protocol': 'GRPC',
        'kuscia.secretflow/access-domain': 'alice,bob',
        'kuscia.secretflow/task-id': 'task-psi',
        'kuscia.secretflow/bandwidth-limit-bob': '2048',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'task-psi-client-0', uid: 'pod-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      selector: { 'kuscia.secretflow/pod-identity': 'task-uid-1-client-0' },
      ports: [{ name: 'spu', port: 20001, protocol: 'TCP', targetPort: 'spu' }],
      publishNotReadyAddresses: true,
    });
    expect(isServiceOfPod(svc, pod)).toBe(true);
    expect(isServiceOfPod(svc, { metadata: { ...pod.metadata, uid: 'other' } })).toBe(false);
  });

  it('keeps a Domain port off the gateway', () => {
    const svc = buildService(task, kit, pod, 'task-psi-client-0-global', { name: 'global', port: 20003, scope: 'Domain', protocol: 'GRPC' });
    expect(svc.metadata!.labels!['kuscia.secretflow/loadbalancer']).toBeUndefined();
    expect(svc.metadata!.annotations!['kuscia.secretflow/access-domain']).toBe('');
  });
});
