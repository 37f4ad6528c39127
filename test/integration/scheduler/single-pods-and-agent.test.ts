/**
 * Pods outside any task resource group (scheduled one by one) and the test agent's kubelet role:
 * the statuses it writes per behaviour, pod removal after a graceful delete, NotReady nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Labels } from '../../../pkg/crd/constants.ts';
import type { Pod } from '../../../pkg/kube/wire.ts';
import { newKusciaScheduler } from '../../../pkg/scheduler/index.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestAgent, type TestAgent } from '../../support/test-agent.ts';

const NS = 'carol';
let env: ControllerTestEnv;
let agent: TestAgent;

beforeAll(async () => {
  env = await startControllerTestEnv();
  await env.createNamespaces(NS);
  agent = await startTestAgent({
    clients: env.clients,
    log: env.log,
    nodes: [{ name: 'carol-n1', domain: NS, cpu: '2', memory: '4Gi', pods: 10, bandwidth: '100' }],
    behaviour: (pod) => {
      const name = pod.metadata?.name ?? '';
      if (name.startsWith('ok')) return { outcome: 'succeed', runMs: 50 };
      if (name.startsWith('bad')) return { outcome: 'fail', exitCode: 3, message: 'boom' };
      if (name.startsWith('pull')) return { outcome: 'hold', waitingReason: 'ImagePullBackOff', waitingMessage: 'Back-off pulling image "x"', restartCount: 4 };
      return 'run';
    },
  });
  const ctx = env.context();
  await env.startControllers(ctx, [newKusciaScheduler(ctx, { recordEvents: false })]);
});

afterAll(async () => {
  await agent?.stop();
  await env?.stop();
});

function pod(name: string, cpu = '100m'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: {
      schedulerName: 'kuscia-scheduler',
      tolerations: [{ key: 'kuscia.secretflow/agent', operator: 'Exists', effect: 'NoSchedule' }],
      nodeSelector: { [Labels.NodeNamespace]: NS },
      containers: [{ name: 'main', image: 'x', resources: { requests: { cpu } } }],
    },
  };
}

const get = (name: string) => env.clients.pods.get(NS, name);

describe('single pods and the test agent', () => {
  it('a succeeding pod ends Succeeded with a Completed container, as a kubelet reports it', async () => {
    await env.clients.pods.create(pod('ok-1'));
    await eventually(async () => {
      const p = await get('ok-1');
      expect(p.spec?.nodeName).toBe('carol-n1');
      expect(p.status?.phase).toBe('Succeeded');
      expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    });
  });

  it('a failing pod ends Failed with exit code and termination message', async () => {
    await env.clients.pods.create(pod('bad-1'));
    await eventually(async () => {
      const p = await get('bad-1');
      expect(p.status?.phase).toBe('Failed');
      expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error', message: 'boom' });
    });
  });

  it('a held pod stays Pending with its container waiting', async () => {
    await env.clients.pods.create(pod('pull-1'));
    await eventually(async () => {
      const p = await get('pull-1');
      expect(p.status?.phase).toBe('Pending');
      expect(p.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 4, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } });
      expect(p.status?.conditions?.find((c) => c.type === 'ContainersReady')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    });
  });

  it('a running pod deleted gracefully is removed by the agent', async () => {
    await env.clients.pods.create(pod('run-1'));
    await eventually(async () => expect((await get('run-1')).status?.phase).toBe('Running'));
    await env.clients.pods.delete(NS, 'run-1');
    await eventually(async () => expect(await get('run-1').then(() => 'present', () => 'gone')).toBe('gone'));
  });

  it('pods that do not fit wait with the reason, and bind when capacity frees up', async () => {
    await env.clients.pods.create(pod('run-big', '1500m'));
    await eventually(async () => expect((await get('run-big')).status?.phase).toBe('Running'));
    await env.clients.pods.create(pod('run-late', '1'));
    await eventually(async () => {
      expect((await get('run-late')).status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
        status: 'False',
        reason: 'Unschedulable',
        message: '0/1 nodes are available: 1 Insufficient cpu.',
      });
    });
    await env.clients.pods.delete(NS, 'run-big');
    await eventually(async () => expect((await get('run-late')).spec?.nodeName).toBe('carol-n1'));
  });

  it('a NotReady node takes no pods until it is Ready again', async () => {
    await agent.setNodeReady('carol-n1', false);
    await env.clients.pods.create(pod('run-2'));
    await eventually(async () => {
      expect((await get('run-2')).status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toBe(
        '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.',
      );
    });
    await agent.setNodeReady('carol-n1', true);
    await eventually(async () => expect((await get('run-2')).status?.phase).toBe('Running'));
    expect(agent.errors).toEqual([]);
  });
});
