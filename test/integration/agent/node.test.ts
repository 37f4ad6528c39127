/**
 * The agent's Node on the embedded API server: what `kubectl get node -o yaml` shows after an agent
 * starts (labels, taint, capacity and allocatable, conditions, addresses, the log server's port), its
 * Lease heartbeat, refusal of a second machine under the same name, and what happens on stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeNameConflictError } from '../../../pkg/agent/node/node-registration.ts';
import { isNotFound } from '../../../pkg/kube/api-errors.ts';
import type { Lease } from '../../../pkg/kube/wire.ts';
import { eventually } from '../../support/eventually.ts';
import { FAST_TUNING, startAgentTestEnv, type AgentTestEnv } from './support/agent-env.ts';
import { fakeRuntime } from './support/fake-runtime.ts';

let env: AgentTestEnv;

beforeAll(async () => {
  env = await startAgentTestEnv(['alice', 'bob']);
});

afterAll(async () => {
  await env?.stop();
});

const getLease = (name: string) => env.clients.api.request<Lease>('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`);

describe('agent node', () => {
  it('registers a Node with Kuscia labels, the agent taint, configured capacity and allocatable minus reserved', async () => {
    await env.startAgent({ nodeName: 'alice-node', runtime: fakeRuntime(), capacity: { cpu: '4', memory: '8Gi', bandwidth: '100' } });
    const node = await env.clients.nodes.get('', 'alice-node');
    expect(node.metadata?.labels).toMatchObject({
      'kubernetes.io/role': 'agent',
      'kubernetes.io/apiVersion': 'v1.33.5',
      domain: 'alice',
      'kuscia.secretflow/runtime': 'runp',
      'kuscia.secretflow/namespace': 'alice',
      'kubernetes.io/hostname': 'alice-node',
      'kubernetes.io/os': 'linux',
    });
    expect(node.metadata?.labels?.['kubernetes.io/arch']).toMatch(/^(amd64|arm64)$/);
    expect(node.spec?.taints).toEqual([{ key: 'kuscia.secretflow/agent', value: 'v1', effect: 'NoSchedule' }]);
    expect(node.status?.capacity).toEqual({ cpu: '4', memory: '8Gi', pods: '500', 'kuscia.io/bandwidth': '100' });
    // Kuscia's reservedResources defaults: cpu 0.5, memory 500Mi, bandwidth 10.
    expect(node.status?.allocatable).toEqual({ cpu: '3500m', memory: '7692Mi', pods: '500', 'kuscia.io/bandwidth': '90' });
    const conditions = Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, c]));
    expect(conditions['Ready']).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'agent is posting ready status' });
    expect(conditions['MemoryPressure']).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientMemory' });
    expect(conditions['DiskPressure']).toMatchObject({ status: 'False', reason: 'KubeletHasNoDiskPressure' });
    expect(conditions['PIDPressure']).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientPID' });
    expect(node.status?.addresses).toEqual([
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: 'alice-node' },
    ]);
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBeGreaterThan(0);
    expect(node.status?.nodeInfo).toMatchObject({ machineID: 'machine-under-test', kubeletVersion: 'v1.33.5+kuscia-ts', operatingSystem: 'linux' });
  });

  it('detects capacity from the host when none is configured (memory in Ki, no bandwidth)', async () => {
    await env.startAgent({ nodeName: 'bob-node', domain: 'bob', runtime: fakeRuntime() });
    const node = await env.clients.nodes.get('', 'bob-node');
    // FAST_TUNING's host: 2 CPUs, 4 GiB.
    expect(node.status?.capacity).toEqual({ cpu: '2', memory: '4Gi', pods: '500' });
    expect(node.status?.allocatable).toEqual({ cpu: '1500m', memory: '3596Mi', pods: '500' });
  });

  it('keeps a Lease in kube-node-lease owned by the Node and renews it', async () => {
    const first = await getLease('alice-node');
    expect(first.spec).toMatchObject({ holderIdentity: 'alice-node', leaseDurationSeconds: 40 });
    const node = await env.clients.nodes.get('', 'alice-node');
    expect(first.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'alice-node', uid: node.metadata?.uid }]);
    await eventually(async () => expect((await getLease('alice-node')).spec?.renewTime).not.toBe(first.spec?.renewTime), 5_000);
  });

  it('refuses a node name already registered by another machine', async () => {
    const start = env.startAgent({ nodeName: 'alice-node', runtime: fakeRuntime() }, { ...FAST_TUNING, machineId: 'another-machine' });
    await expect(start).rejects.toBeInstanceOf(NodeNameConflictError);
    await expect(start).rejects.toThrow(/node "alice-node" is already registered by another machine/);
  });

  it('refuses a node name registered for another domain', async () => {
    await expect(env.startAgent({ nodeName: 'alice-node', domain: 'bob', runtime: fakeRuntime() })).rejects.toThrow(/already registered by the agent of domain "alice"/);
  });

  it('deletes its Node on stop, or keeps it with keepNodeOnExit', async () => {
    const gone = await env.startAgent({ nodeName: 'leaving-node', runtime: fakeRuntime() });
    const kept = await env.startAgent({ nodeName: 'staying-node', runtime: fakeRuntime(), keepNodeOnExit: true });
    await gone.stop();
    await kept.stop();
    await expect(env.clients.nodes.get('', 'leaving-node')).rejects.toSatisfy(isNotFound);
    expect((await env.clients.nodes.get('', 'staying-node')).metadata?.name).toBe('staying-node');
  });

  it('takes its own node back after a restart (same machine) and registers again if the node is deleted', async () => {
    const again = await env.startAgent({ nodeName: 'staying-node', runtime: fakeRuntime(), keepNodeOnExit: true });
    await env.clients.nodes.delete('', 'staying-node');
    await eventually(async () => expect((await env.clients.nodes.get('', 'staying-node')).status?.conditions?.length).toBeGreaterThan(0), 5_000);
    await again.stop();
  });
});
