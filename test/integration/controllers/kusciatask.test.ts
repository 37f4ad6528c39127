/**
 * The KusciaTask controller on the embedded API server. The test plays the other components: the
 * TaskResourceGroup controller (it patches the group's status), the scheduler (it binds pods through
 * pods/binding) and the node agent (it writes pod status through pods/status), and checks what a
 * user sees: the objects of a task, its phases and messages, and that nothing is left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompressConfigValue } from '../../../pkg/controllers/kusciatask/configmaps.ts';
import { newKusciaTaskController } from '../../../pkg/controllers/kusciatask/index.ts';
import { PortAllocator } from '../../../pkg/controllers/kusciatask/port-allocator.ts';
import { appImageFixture, taskFixture } from '../../../pkg/controllers/kusciatask/testing/fixtures.ts';
import { Annotations, CROSS_DOMAIN_NAMESPACE, Labels, type KusciaTask, type PartyInfo } from '../../../pkg/crd/index.ts';
import { isNotFound } from '../../../pkg/kube/api-errors.ts';
import type { Pod } from '../../../pkg/kube/wire.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';

let env: ControllerTestEnv;

const NODES = { alice: 'node-alice', bob: 'node-bob' } as const;

beforeAll(async () => {
  env = await startControllerTestEnv();
  await env.createNamespaces('alice', 'bob');
  for (const [domain, name] of Object.entries(NODES)) {
    await env.clients.nodes.create({ metadata: { name, labels: { [Labels.NodeNamespace]: domain } } });
    await env.clients.nodes.patch(
      '',
      name,
      { status: { capacity: { cpu: '16', memory: '64Gi', pods: '110' }, allocatable: { cpu: '16', memory: '64Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } },
      { type: 'merge', subresource: 'status' },
    );
  }
  await env.clients.appImages.create(appImageFixture());
});

afterAll(async () => {
  await env?.stop();
});

async function startController(portAllocator = new PortAllocator()): Promise<() => Promise<void>> {
  const ctx = env.context();
  return env.startControllers(ctx, [newKusciaTaskController(ctx, { portAllocator })]);
}

// --- the test's view of the task and its objects -------------------------------------------------

async function createTask(name: string, change: (task: KusciaTask) => void = () => undefined): Promise<KusciaTask> {
  const task = taskFixture(name);
  delete task.metadata.uid;
  change(task);
  return env.clients.kusciaTasks.create(task);
}

const getTask = (name: string) => env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, name);
const condition = (task: KusciaTask, type: string) => task.status?.conditions?.find((c) => c.type === type);

async function waitForTask(name: string, check: (task: KusciaTask) => void, timeoutMs = 10_000): Promise<KusciaTask> {
  let last: KusciaTask | undefined;
  await eventually(async () => {
    last = await getTask(name);
    check(last);
  }, timeoutMs);
  return last!;
}

const waitCreated = (name: string) => waitForTask(name, (t) => expect(condition(t, 'ResourceCreated')?.status).toBe('True'));
const waitPhase = (name: string, phase: string) => waitForTask(name, (t) => expect(t.status?.phase).toBe(phase));

async function objectsOf(taskUID: string) {
  const selector = { labelSelector: `${Labels.TaskUID}=${taskUID}` };
  const [pods, services, configMaps] = await Promise.all([
    env.clients.pods.list(undefined, selector),
    env.clients.services.list(undefined, selector),
    env.clients.configMaps.list(undefined, selector),
  ]);
  const names = (items: Array<{ metadata?: { namespace?: string; name?: string } }>) => items.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();
  return { pods: pods.items, podNames: names(pods.items), serviceNames: names(services.items), configMapNames: names(configMaps.items) };
}

async function groupExists(name: string): Promise<boolean> {
  try {
    await env.clients.taskResourceGroups.get('', name);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

// --- the other components, played by the test -----------------------------------------------------

/** The TaskResourceGroup controller: the gang is reserved (or failed). */
async function setGroupStatus(name: string, status: Record<string, unknown>): Promise<void> {
  await env.clients.taskResourceGroups.patch('', name, { status }, { type: 'merge', subresource: 'status' });
}

/** The scheduler: bind every pod of the task to its domain's node. */
async function bindPods(taskUID: string): Promise<void> {
  const { pods } = await objectsOf(taskUID);
  for (const pod of pods) {
    const { namespace = '', name = '' } = pod.metadata ?? {};
    await env.clients.pods.createSubresource(namespace, name, 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name },
      target: { kind: 'Node', name: NODES[namespace as keyof typeof NODES] },
    });
  }
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** The node agent: report a pod's state as a kubelet would. */
async function reportPod(namespace: string, name: string, state: 'Running' | 'Succeeded' | 'Failed' | 'CrashLoopBackOff', message = ''): Promise<void> {
  const container = (await env.clients.pods.get(namespace, name)).spec!.containers[0]!.name;
  const ready = state === 'Running';
  const containerState =
    state === 'Running'
      ? { running: { startedAt: now() } }
      : state === 'CrashLoopBackOff'
        ? { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } }
        : { terminated: { exitCode: state === 'Succeeded' ? 0 : 1, reason: state === 'Succeeded' ? 'Completed' : 'Error', message, startedAt: now(), finishedAt: now() } };
  await env.clients.pods.patch(
    namespace,
    name,
    {
      status: {
        phase: state === 'CrashLoopBackOff' ? 'Running' : state,
        startTime: now(),
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: now() },
          { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now() },
          { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now() },
        ],
        containerStatuses: [{ name: container, image: 'img', imageID: '', ready, restartCount: state === 'CrashLoopBackOff' ? 3 : 0, state: containerState }],
      },
    },
    { type: 'merge', subresource: 'status' },
  );
}

/** Reserve, bind and start every pod of a created task: it goes Running. */
async function runTask(name: string): Promise<KusciaTask> {
  const task = await waitCreated(name);
  await setGroupStatus(name, { phase: 'Reserved' });
  await bindPods(task.metadata.uid!);
  await reportPod('alice', `${name}-client-0`, 'Running');
  await reportPod('bob', `${name}-server-0`, 'Running');
  return waitPhase(name, 'Running');
}

function envOf(pod: Pod): Record<string, string> {
  return Object.fromEntries((pod.spec?.containers[0]?.env ?? []).map((e) => [e.name, e.value ?? '']));
}

function containerPorts(pods: Pod[]): number[] {
  return pods.flatMap((p) => (p.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((port) => port.containerPort)));
}

// -------------------------------------------------------------------------------------------------

describe('KusciaTask controller', () => {
  let stop: () => Promise<void>;
  const ports = new PortAllocator();
  beforeAll(async () => {
    stop = await startController(ports);
  });
  afterAll(async () => {
    await stop?.();
  });

  it('creates the pods, Services, ConfigMaps and TaskResourceGroup of a two-party task, with ports no other task has', async () => {
    await createTask('task-a');
    await createTask('task-b');
    const a = await waitCreated('task-a');
    const b = await waitCreated('task-b');
    expect(a.status).toMatchObject({ phase: 'Pending' });
    expect(condition(a, 'PortsAllocated')?.status).toBe('True');

    const objects = await objectsOf(a.metadata.uid!);
    expect(objects.podNames).toEqual(['alice/task-a-client-0', 'bob/task-a-server-0']);
    expect(objects.serviceNames).toEqual(['alice/task-a-client-0-fed', 'alice/task-a-client-0-global', 'alice/task-a-client-0-spu', 'bob/task-a-server-0-api']);
    expect(objects.configMapNames).toEqual(['alice/task-a-configtemplate', 'alice/task-a-kuscia-gen-conf', 'bob/task-a-configtemplate']);

    const client = objects.pods.find((p) => p.metadata?.namespace === 'alice')!;
    expect(client.metadata?.labels).toMatchObject({
      [Labels.Controller]: 'kusciatask',
      [Labels.TaskUID]: a.metadata.uid,
      [Labels.PodIdentity]: `${a.metadata.uid}-client-0`,
      [Labels.PodRole]: 'client',
      [Labels.TaskResourceUID]: '',
    });
    expect(client.metadata?.annotations).toMatchObject({ [Annotations.TaskID]: 'task-a', [Annotations.TaskResourceGroup]: 'task-a', [Annotations.TaskResource]: '' });
    expect(client.spec).toMatchObject({ schedulerName: 'kuscia-scheduler', nodeSelector: { [Labels.NodeNamespace]: 'alice' }, automountServiceAccountToken: false });

    // Ports: the allocated numbers are the container ports, the env and the ClusterDefine.
    const allocated = a.status!.allocatedPorts!.find((p) => p.domainID === 'alice')!.namedPort!;
    const podEnv = envOf(client);
    expect(Number(podEnv['KUSCIA_PORT_SPU_NUMBER'])).toBe(allocated['task-a-client-0/spu']);
    expect(client.spec!.containers[0]!.ports!.find((p) => p.name === 'spu')!.containerPort).toBe(allocated['task-a-client-0/spu']);
    expect(podEnv).toMatchObject({ TASK_ID: 'task-a', KUSCIA_DOMAIN_ID: 'alice', TASK_INPUT_CONFIG: a.spec.taskInputConfig, APP_MODE: 'client' });
    const clusterDefine = JSON.parse(podEnv['TASK_CLUSTER_DEFINE']!);
    expect(clusterDefine).toEqual({
      parties: [
        {
          name: 'alice',
          role: 'client',
          services: [
            { portName: 'spu', endpoints: ['task-a-client-0-spu.alice.svc'] },
            { portName: 'fed', endpoints: ['task-a-client-0-fed.alice.svc'] },
            { portName: 'global', endpoints: [`task-a-client-0-global.alice.svc:${allocated['task-a-client-0/global']}`] },
          ],
        },
        { name: 'bob', role: 'server', services: [{ portName: 'api', endpoints: ['task-a-server-0-api.bob.svc'] }] },
      ],
      selfPartyIdx: 0,
      selfEndpointIdx: 0,
    });
    const genConf = await env.clients.configMaps.get('alice', 'task-a-kuscia-gen-conf');
    expect(genConf.data?.['TASK_CLUSTER_DEFINE']).toBe(podEnv['TASK_CLUSTER_DEFINE']);
    expect(decompressConfigValue(genConf.binaryData!['TASK_INPUT_CONFIG']!)).toBe(a.spec.taskInputConfig);

    const service = await env.clients.services.get('alice', 'task-a-client-0-spu');
    expect(service.metadata?.labels).toMatchObject({ [Labels.LoadBalancer]: 'domainroute', [Labels.PortScope]: 'Cluster', [Labels.TaskUID]: a.metadata.uid });
    expect(service.metadata?.annotations).toMatchObject({ [Annotations.AccessDomain]: 'alice,bob', [Annotations.Protocol]: 'GRPC' });
    expect(service.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Pod', name: 'task-a-client-0', uid: client.metadata?.uid });
    expect(a.status?.serviceStatuses?.['alice/task-a-client-0-spu']).toMatchObject({ portName: 'spu', portNumber: allocated['task-a-client-0/spu'], scope: 'Cluster' });

    const group = await env.clients.taskResourceGroups.get('', 'task-a');
    expect(group.metadata.labels).toMatchObject({ [Labels.TaskUID]: a.metadata.uid, [Labels.Controller]: 'kusciatask' });
    expect(group.spec).toMatchObject({
      minReservedMembers: 2,
      lifecycleSeconds: 300,
      parties: [
        { domainID: 'alice', role: 'client', minReservedPods: 1, pods: [{ name: 'task-a-client-0' }] },
        { domainID: 'bob', role: 'server', minReservedPods: 1, pods: [{ name: 'task-a-server-0' }] },
      ],
    });

    const ports = [...containerPorts(objects.pods), ...containerPorts((await objectsOf(b.metadata.uid!)).pods)];
    expect(ports).toHaveLength(10);
    expect(new Set(ports).size).toBe(10);
  });

  it('runs once a pod runs and, when every party succeeded, succeeds and removes its pods, ConfigMaps and group', async () => {
    const created = await createTask('task-ok');
    const running = await runTask('task-ok');
    expect(condition(running, 'Running')?.status).toBe('True');
    expect(running.status?.podStatuses?.['alice/task-ok-client-0']).toMatchObject({ podPhase: 'Running', nodeName: NODES.alice });

    await reportPod('alice', 'task-ok-client-0', 'Succeeded');
    await reportPod('bob', 'task-ok-server-0', 'Succeeded');
    const done = await waitForTask('task-ok', (t) => expect(t.status?.completionTime).toBeDefined());
    expect(done.status?.phase).toBe('Succeeded');
    expect(condition(done, 'Success')?.status).toBe('True');
    expect(done.status?.partyTaskStatus).toEqual([
      { domainID: 'alice', role: 'client', phase: 'Succeeded' },
      { domainID: 'bob', role: 'server', phase: 'Succeeded' },
    ]);
    await eventually(async () => {
      const left = await objectsOf(created.metadata.uid!);
      expect(left.podNames).toEqual([]);
      expect(left.configMapNames).toEqual([]);
      expect(await groupExists('task-ok')).toBe(false);
      expect(ports.ownersOf('task-ok')).toEqual([]);
    });
  });

  it('fails when one party fails, says why, and stops the other party', async () => {
    const created = await createTask('task-fail');
    await runTask('task-fail');
    await reportPod('bob', 'task-fail-server-0', 'Failed', 'table bob.users not found');
    const failed = await waitForTask('task-fail', (t) => expect(t.status?.completionTime).toBeDefined());
    expect(failed.status?.phase).toBe('Failed');
    expect(failed.status?.message).toBe(
      'The remaining no-failed party task counts 1 are less than the threshold 2 that meets the conditions for task success. ' +
        'pending party[], running party[alice-client], successful party[], failed party[bob-server]',
    );
    expect(condition(failed, 'Success')?.status).toBe('False');
    const bob = failed.status?.partyTaskStatus?.find((p) => p.domainID === 'bob');
    expect(bob?.phase).toBe('Failed');
    expect(bob?.message).toContain('table bob.users not found');
    expect(failed.status?.partyTaskStatus?.find((p) => p.domainID === 'alice')?.phase).toBe('Failed');
    expect(failed.status?.podStatuses?.['bob/task-fail-server-0']).toMatchObject({
      podPhase: 'Failed',
      reason: 'Error',
      terminationLog: 'container[server] terminated state reason "Error", message: "table bob.users not found"',
    });
    // alice's running pod is stopped (gracefully: it is bound); bob's failed pod stays for diagnosis.
    await eventually(async () => {
      const alice = await env.clients.pods.get('alice', 'task-fail-client-0');
      expect(alice.metadata?.deletionTimestamp).toBeDefined();
    });
    const bobPod = await env.clients.pods.get('bob', 'task-fail-server-0');
    expect(bobPod.metadata?.deletionTimestamp).toBeUndefined();
    expect((await objectsOf(created.metadata.uid!)).configMapNames).toHaveLength(3);
    // alice's process may still listen until the agent removes the pod: its ports stay taken until then.
    expect(ports.ownersOf('task-fail')).toEqual([created.metadata.uid]);
    const alice = await env.clients.pods.get('alice', 'task-fail-client-0');
    await env.clients.pods.delete('alice', 'task-fail-client-0', { gracePeriodSeconds: 0, uid: alice.metadata?.uid });
    await eventually(() => expect(ports.ownersOf('task-fail')).toEqual([]));
  });

  it('counts a container in CrashLoopBackOff as a failed pod', async () => {
    await createTask('task-crash');
    await runTask('task-crash');
    await reportPod('alice', 'task-crash-client-0', 'CrashLoopBackOff');
    const failed = await waitForTask('task-crash', (t) => expect(t.status?.completionTime).toBeDefined());
    expect(failed.status?.phase).toBe('Failed');
    expect(failed.status?.message).toContain('failed party[alice-client]');
    expect(failed.status?.partyTaskStatus?.find((p) => p.domainID === 'alice')?.message).toContain('CrashLoopBackOff');
  });

  it('fails with the lifecycle message when its TaskResourceGroup expires', async () => {
    const created = await createTask('task-expire', (t) => (t.spec.scheduleConfig = { lifecycleSeconds: 20 }));
    await waitCreated('task-expire');
    await setGroupStatus('task-expire', {
      phase: 'Failed',
      conditions: [{ type: 'TaskResourceGroupExpired', status: 'True', reason: "Task resource group exceed it's lifecycle", lastTransitionTime: now() }],
    });
    const failed = await waitForTask('task-expire', (t) => expect(t.status?.completionTime).toBeDefined());
    expect(failed.status).toMatchObject({
      phase: 'Failed',
      reason: 'TaskResourceGroupPhaseFailed',
      message: 'The task was not scheduled within 20 seconds of its entire lifecycle',
    });
    // Its pods never ran: they are removed at once.
    await eventually(async () => expect((await objectsOf(created.metadata.uid!)).podNames).toEqual([]));
  });

  it('waits for room with KusciaTaskCreateFailed in its status, and fails when its lifecycle ends, having created nothing', async () => {
    const created = await createTask('task-huge', (t) => {
      t.spec.scheduleConfig = { lifecycleSeconds: 2 };
      (t.spec.parties[1] as PartyInfo).template = { spec: { containers: [{ name: 'server', resources: { requests: { cpu: '64' } } }] } };
    });
    // bob's node has 16 cores, less what earlier tests' pods still hold.
    const insufficient = /^insufficient cpu in domain bob: requests 64, largest free \d+(m)?$/;
    const waiting = await waitForTask('task-huge', (t) => expect(condition(t, 'ResourceCreated')?.status).toBe('False'));
    expect(waiting.status?.phase).toBe('Pending');
    expect(condition(waiting, 'ResourceCreated')).toMatchObject({ reason: 'KusciaTaskCreateFailed' });
    expect(condition(waiting, 'ResourceCreated')?.message).toMatch(insufficient);

    const failed = await waitForTask('task-huge', (t) => expect(t.status?.completionTime).toBeDefined(), 10_000);
    expect(failed.status).toMatchObject({ phase: 'Failed', reason: 'KusciaTaskCreateFailed' });
    expect(failed.status?.message).toMatch(/^The task could not be created within 2 seconds of its entire lifecycle: insufficient cpu in domain bob: requests 64/);
    expect(condition(failed, 'ResourceCreated')?.message).toMatch(insufficient);
    const left = await objectsOf(created.metadata.uid!);
    expect(left.podNames).toEqual([]);
    expect(left.serviceNames).toEqual([]);
    expect(left.configMapNames).toEqual([]);
    expect(await groupExists('task-huge')).toBe(false);
    expect(ports.ownersOf('task-huge')).toEqual([]);
  });

  it('is created as soon as capacity appears within its lifecycle', async () => {
    await createTask('task-grow', (t) => {
      (t.spec.parties[1] as PartyInfo).template = { spec: { containers: [{ name: 'server', resources: { requests: { cpu: '20' } } }] } };
    });
    await waitForTask('task-grow', (t) => expect(condition(t, 'ResourceCreated')?.reason).toBe('KusciaTaskCreateFailed'));
    const allocatable = (cpu: string) => ({ status: { allocatable: { cpu, memory: '64Gi', pods: '110' } } });
    await env.clients.nodes.patch('', NODES.bob, allocatable('64'), { type: 'merge', subresource: 'status' });
    try {
      const task = await waitCreated('task-grow');
      expect(task.status?.phase).toBe('Pending');
      expect((await objectsOf(task.metadata.uid!)).podNames).toEqual(['alice/task-grow-client-0', 'bob/task-grow-server-0']);
    } finally {
      await env.clients.nodes.patch('', NODES.bob, allocatable('16'), { type: 'merge', subresource: 'status' });
    }
  });
});

describe('KusciaTask controller restarts and deletions', () => {
  it('adopts what it already created after a restart instead of creating it again', async () => {
    let stop = await startController();
    const created = await createTask('task-restart');
    const before = await waitCreated('task-restart');
    const first = await objectsOf(created.metadata.uid!);
    await stop();

    // A crash between creating the objects and recording it: the condition is lost.
    await env.clients.kusciaTasks.patch(
      CROSS_DOMAIN_NAMESPACE,
      'task-restart',
      { status: { conditions: before.status!.conditions!.filter((c) => c.type !== 'ResourceCreated') } },
      { type: 'merge', subresource: 'status' },
    );
    stop = await startController();
    try {
      const after = await waitCreated('task-restart');
      expect(after.status?.allocatedPorts).toEqual(before.status?.allocatedPorts);
      const second = await objectsOf(created.metadata.uid!);
      expect(second.podNames).toEqual(first.podNames);
      expect(second.serviceNames).toEqual(first.serviceNames);
      expect(second.configMapNames).toEqual(first.configMapNames);
      expect(second.pods.map((p) => p.metadata?.uid).sort()).toEqual(first.pods.map((p) => p.metadata?.uid).sort());

      // The restarted controller knows the ports in use: a new task gets other ones.
      const next = await createTask('task-after-restart');
      await waitCreated('task-after-restart');
      const taken = new Set(containerPorts(second.pods));
      for (const port of containerPorts((await objectsOf(next.metadata.uid!)).pods)) expect(taken.has(port)).toBe(false);

      // And it carries the task on.
      await runTask('task-restart');
    } finally {
      await stop();
    }
  });

  it('removes the pods, Services, ConfigMaps and group of a deleted task, also one deleted while it was down', async () => {
    let stop = await startController();
    const live = await createTask('task-delete');
    await waitCreated('task-delete');
    await env.clients.kusciaTasks.delete(CROSS_DOMAIN_NAMESPACE, 'task-delete');
    await eventually(async () => {
      const left = await objectsOf(live.metadata.uid!);
      expect(left).toMatchObject({ podNames: [], serviceNames: [], configMapNames: [] });
      expect(await groupExists('task-delete')).toBe(false);
    });

    const orphaned = await createTask('task-delete-offline');
    await waitCreated('task-delete-offline');
    await stop();
    await env.clients.kusciaTasks.delete(CROSS_DOMAIN_NAMESPACE, 'task-delete-offline');
    expect((await objectsOf(orphaned.metadata.uid!)).podNames).toHaveLength(2);
    stop = await startController();
    try {
      await eventually(async () => {
        const left = await objectsOf(orphaned.metadata.uid!);
        expect(left).toMatchObject({ podNames: [], serviceNames: [], configMapNames: [] });
        expect(await groupExists('task-delete-offline')).toBe(false);
      });
    } finally {
      await stop();
    }
  });

  it('re-creates a task deleted and created again under the same name only after the old objects are gone', async () => {
    const stop = await startController();
    try {
      const old = await createTask('task-again');
      await runTask('task-again');
      await env.clients.kusciaTasks.delete(CROSS_DOMAIN_NAMESPACE, 'task-again');
      const fresh = await createTask('task-again');
      // The old pods are bound and running: they terminate gracefully, so the new task waits.
      await eventually(async () => {
        const pod = await env.clients.pods.get('alice', 'task-again-client-0');
        expect(pod.metadata?.labels?.[Labels.TaskUID]).toBe(old.metadata.uid);
        expect(pod.metadata?.deletionTimestamp).toBeDefined();
      });
      expect(condition(await getTask('task-again'), 'ResourceCreated')).toBeUndefined();
      // The node agent finishes the old pods.
      for (const [ns, name] of [['alice', 'task-again-client-0'], ['bob', 'task-again-server-0']] as const) {
        const pod = await env.clients.pods.get(ns, name);
        await env.clients.pods.delete(ns, name, { gracePeriodSeconds: 0, uid: pod.metadata?.uid });
      }
      await waitCreated('task-again');
      expect((await objectsOf(fresh.metadata.uid!)).podNames).toEqual(['alice/task-again-client-0', 'bob/task-again-server-0']);
      expect((await objectsOf(old.metadata.uid!)).podNames).toEqual([]);
    } finally {
      await stop();
    }
  });
});
