/**
 * The node lifecycle controller on the embedded API server: an agent that stops renewing its Lease
 * makes its node unreachable (conditions Unknown, unreachable taints) and its running pods Failed
 * with NodeLost; renewing again lifts the taints. Short grace period so the test takes seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newNodeLifecycleController } from '../../../pkg/controllers/nodelifecycle/index.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import { CoreResources } from '../../../pkg/kube/resources.ts';
import type { Lease, Node, Pod } from '../../../pkg/kube/wire.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';

const GRACE_MS = 700;
const nodeName = 'alice-node';
let env: ControllerTestEnv;
let leases: ResourceClient<Lease>;
let lastRenewal = 0;

const microTime = (ms = Date.now()) => new Date(ms).toISOString().replace('Z', '000Z');
const time = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

async function renewLease(): Promise<void> {
  const lease = await leases.get('kube-node-lease', nodeName);
  await leases.replace({ ...lease, spec: { ...lease.spec, renewTime: microTime() as never } });
  lastRenewal = Date.now();
}

async function createRunningPod(name: string, phase: 'Running' | 'Succeeded'): Promise<void> {
  const pod = await env.clients.pods.create({
    metadata: { name, namespace: 'alice' },
    spec: { nodeName, containers: [{ name: 'main', image: 'fake-engine' }] },
  } as Pod);
  const started = time();
  const state = phase === 'Running' ? { running: { startedAt: started } } : { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: started } };
  await env.clients.pods.replaceStatus({
    ...pod,
    status: {
      phase,
      conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False', lastTransitionTime: started as never }],
      containerStatuses: [{ name: 'main', image: 'fake-engine', imageID: '', ready: phase === 'Running', restartCount: 0, state: state as never }],
    },
  });
}

beforeAll(async () => {
  env = await startControllerTestEnv();
  leases = new ResourceClient<Lease>(env.clients.api, CoreResources.leases);
  await env.createNamespaces('kube-node-lease', 'alice');
  const now = time();
  const created = await env.clients.nodes.create({
    metadata: { name: nodeName },
    spec: { taints: [{ key: 'kuscia.secretflow/agent', value: 'v1', effect: 'NoSchedule' }] },
  } as Node);
  // Like an agent: status is written through the status subresource.
  await env.clients.nodes.replaceStatus({
    ...created,
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'AgentReady', message: 'Agent is ready', lastHeartbeatTime: now as never, lastTransitionTime: now as never },
        { type: 'MemoryPressure', status: 'False', reason: 'AgentHasSufficientMemory', message: 'ok', lastHeartbeatTime: now as never, lastTransitionTime: now as never },
      ],
    },
  });
  await leases.create({ metadata: { name: nodeName, namespace: 'kube-node-lease' }, spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: microTime() as never } });
  await createRunningPod('task-a-0', 'Running');
  await createRunningPod('task-b-0', 'Succeeded');
  const ctx = env.context();
  await env.startControllers(ctx, [newNodeLifecycleController(ctx, { gracePeriodMs: GRACE_MS })]);
});

afterAll(async () => {
  await env?.stop();
});

describe('node lifecycle', () => {
  it('leaves a node alone while its lease is renewed', async () => {
    for (let i = 0; i < 6; i++) {
      await renewLease();
      await new Promise((r) => setTimeout(r, GRACE_MS / 3));
    }
    const node = await env.clients.nodes.get('', nodeName);
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.spec?.taints?.map((t) => t.key)).toEqual(['kuscia.secretflow/agent']);
    expect((await env.clients.pods.get('alice', 'task-a-0')).status?.phase).toBe('Running');
  });

  it('marks a silent node unreachable and fails its running pods', async () => {
    await eventually(async () => {
      const node = await env.clients.nodes.get('', nodeName);
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
      expect(node.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status).toBe('Unknown');
      expect(node.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
        'kuscia.secretflow/agent:NoSchedule',
        'node.kubernetes.io/unreachable:NoSchedule',
        'node.kubernetes.io/unreachable:NoExecute',
      ]);
    }, 10_000);
    // Not before the grace period ran out.
    expect(Date.now() - lastRenewal).toBeGreaterThanOrEqual(GRACE_MS);
    await eventually(async () => {
      const pod = await env.clients.pods.get('alice', 'task-a-0');
      expect(pod.status).toMatchObject({ phase: 'Failed', reason: 'NodeLost', message: `Node ${nodeName} which was running pod task-a-0 is unresponsive` });
      expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'ContainerStatusUnknown' });
      expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    }, 10_000);
    const finished = await env.clients.pods.get('alice', 'task-b-0');
    expect(finished.status).toMatchObject({ phase: 'Succeeded' });
    expect(finished.status?.reason).toBeUndefined();
  });

  it('lifts the unreachable taints once the lease is renewed again', async () => {
    await renewLease();
    await eventually(async () => {
      const node = await env.clients.nodes.get('', nodeName);
      expect(node.spec?.taints?.map((t) => t.key)).toEqual(['kuscia.secretflow/agent']);
    }, 10_000);
  });
});
