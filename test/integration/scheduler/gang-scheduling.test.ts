/**
 * kuscia-scheduler with the TaskResourceGroup controller and the test agent on the embedded API
 * server: gangs of two parties created the way the KusciaTask controller creates them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerContext } from '../../../pkg/controllers/common/controller-context.ts';
import { newTaskResourceGroupController } from '../../../pkg/controllers/taskresourcegroup/index.ts';
import { KusciaResources } from '../../../pkg/controllers/common/resources.ts';
import { Labels } from '../../../pkg/crd/constants.ts';
import type { TaskResource, TaskResourceGroup } from '../../../pkg/crd/resource.ts';
import { SharedInformerFactory } from '../../../pkg/kube/informer-factory.ts';
import { CoreResources } from '../../../pkg/kube/resources.ts';
import type { Pod } from '../../../pkg/kube/wire.ts';
import { newKusciaScheduler } from '../../../pkg/scheduler/index.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';
import { startTestAgent, type BehaviourFn, type TestAgent, type TestAgentNode } from '../../support/test-agent.ts';
import { createGang, gangPods, type GangSpec } from './task-gang.ts';

let env: ControllerTestEnv;
const cleanups: Array<() => Promise<void>> = [];
let domainCounter = 0;

beforeAll(async () => {
  env = await startControllerTestEnv();
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

afterAll(async () => {
  await env?.stop();
});

/** Fresh party namespaces per test, so tests never see each other's nodes or pods. */
async function domains(): Promise<{ alice: string; bob: string }> {
  const n = ++domainCounter;
  const alice = `alice${n}`;
  const bob = `bob${n}`;
  await env.createNamespaces(alice, bob);
  return { alice, bob };
}

async function agent(nodes: TestAgentNode[], behaviour?: BehaviourFn): Promise<TestAgent> {
  const a = await startTestAgent({ clients: env.clients, nodes, log: env.log, behaviour });
  cleanups.push(() => a.stop());
  return a;
}

async function startTrgController(): Promise<void> {
  const ctx: ControllerContext = env.context();
  cleanups.push(await env.startControllers(ctx, [newTaskResourceGroupController(ctx)]));
}

/** A scheduler on its own informers (a process of its own); returns its stop function. */
async function startScheduler(options: Parameters<typeof newKusciaScheduler>[1] = {}): Promise<() => Promise<void>> {
  const ctx: ControllerContext = env.context();
  const stop = await env.startControllers(ctx, [newKusciaScheduler(ctx, options)]);
  let stopped = false;
  const once = async () => {
    if (stopped) return;
    stopped = true;
    await stop();
  };
  cleanups.push(once);
  return once;
}

/**
 * Watches what the tests assert about, with the resourceVersion of each event: the API server has
 * one global revision, so "bound after Reserved" is an exact comparison, not a race between watches.
 */
async function startRecorder() {
  const informers = new SharedInformerFactory({ kubeConfig: env.kubeConfig, log: env.log });
  const pods = informers.informerFor<Pod>(CoreResources.pods);
  const trs = informers.informerFor<TaskResource>(KusciaResources.taskResources);
  const boundRv = new Map<string, number>();
  const phaseRv = new Map<string, number>();
  const overcommits: string[] = [];
  const allocatableMilli = new Map<string, number>();
  const rv = (o: { metadata?: { resourceVersion?: string } }) => Number(o.metadata?.resourceVersion);
  const checkNode = (node: string) => {
    const limit = allocatableMilli.get(node);
    if (limit === undefined) return;
    let used = 0;
    for (const p of pods.list()) {
      if (p.spec?.nodeName !== node || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      used += milliCpu(p);
    }
    if (used > limit) overcommits.push(`${node}: ${used}m > ${limit}m`);
  };
  const onPod = (pod: Pod) => {
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (pod.spec?.nodeName && !boundRv.has(key)) {
      boundRv.set(key, rv(pod));
      checkNode(pod.spec.nodeName);
    }
  };
  pods.addEventHandler({ onAdd: onPod, onUpdate: (_o, p) => onPod(p) });
  const onTr = (tr: TaskResource) => {
    const key = `${tr.metadata?.namespace}/${tr.metadata?.name}:${tr.status?.phase}`;
    if (!phaseRv.has(key)) phaseRv.set(key, rv(tr));
  };
  trs.addEventHandler({ onAdd: onTr, onUpdate: (_o, t) => onTr(t) });
  await informers.start();
  await informers.waitForCacheSync();
  cleanups.push(() => informers.stop());
  return {
    boundRv,
    overcommits,
    /** Nodes whose CPU must never be overcommitted (allocatable in milli-cores). */
    watchNode: (node: string, milli: number) => allocatableMilli.set(node, milli),
    firstPhaseRv: (ns: string, name: string, phase: string) => phaseRv.get(`${ns}/${name}:${phase}`),
  };
}

function milliCpu(pod: Pod): number {
  const cpu = String(pod.spec?.containers?.[0]?.resources?.requests?.['cpu'] ?? '0');
  return cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
}

async function podsOf(spec: GangSpec): Promise<Pod[]> {
  return Promise.all(gangPods(spec).map((p) => env.clients.pods.get(p.metadata!.namespace!, p.metadata!.name!)));
}

async function taskResourceOf(trgName: string, domain: string): Promise<TaskResource> {
  const trg = await env.clients.taskResourceGroups.get('', trgName);
  const name = trg.spec.parties.find((p) => p.domainID === domain)?.taskResourceName;
  if (!name) throw new Error(`no task resource name for ${domain} yet`);
  return env.clients.taskResources.get(domain, name);
}

async function group(name: string): Promise<TaskResourceGroup> {
  return env.clients.taskResourceGroups.get('', name);
}

const node = (name: string, domain: string, cpu: string): TestAgentNode => ({ name, domain, cpu, memory: '16Gi', pods: 110 });

describe('kuscia-scheduler gangs', () => {
  it('binds a two-party gang only after both parties reserved, then the agent runs the pods', async () => {
    const { alice, bob } = await domains();
    await agent([node(`${alice}-n1`, alice, '4'), node(`${alice}-n2`, alice, '4'), node(`${bob}-n1`, bob, '4')]);
    const recorder = await startRecorder();
    await startTrgController();
    await startScheduler();
    const spec: GangSpec = { task: `task-${alice}`, parties: [{ domain: alice, pods: 3, cpu: '1' }, { domain: bob, pods: 3, cpu: '1' }] };
    await createGang(env.clients, spec);

    await eventually(async () => {
      for (const pod of await podsOf(spec)) {
        expect(pod.spec?.nodeName).toBeTruthy();
        expect(pod.status?.phase).toBe('Running');
      }
    }, 20_000);
    const aliceTr = await taskResourceOf(spec.task, alice);
    const bobTr = await taskResourceOf(spec.task, bob);
    expect(aliceTr.status?.phase).toBe('Schedulable');
    expect(aliceTr.status?.conditions?.find((c) => c.type === 'Reserved')).toMatchObject({ status: 'True', reason: 'The min set of pods has already reserved resource' });
    const bothReserved = Math.max(recorder.firstPhaseRv(alice, aliceTr.metadata!.name!, 'Reserved')!, recorder.firstPhaseRv(bob, bobTr.metadata!.name!, 'Reserved')!);
    for (const pod of gangPods(spec)) {
      const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
      expect(recorder.boundRv.get(key), key).toBeGreaterThan(bothReserved);
    }
    // kube-scheduler's event for each binding.
    await eventually(async () => {
      const events = await env.clients.api.request<{ items: Array<{ reason: string; message: string }> }>('GET', `/api/v1/namespaces/${alice}/events`);
      expect(events.items.filter((e) => e.reason === 'Scheduled').length).toBe(3);
      expect(events.items[0]!.message).toMatch(new RegExp(`^Successfully assigned ${alice}/task-${alice}-party-\\d to ${alice}-n\\d$`));
    });
  });

  it("never binds an alice pod while bob cannot fit, and binds the gang once bob's capacity appears", async () => {
    const { alice, bob } = await domains();
    const a = await agent([node(`${alice}-n1`, alice, '4'), node(`${bob}-small`, bob, '1')]);
    await startTrgController();
    await startScheduler();
    const spec: GangSpec = { task: `task-${alice}`, lifecycleSeconds: 120, parties: [{ domain: alice, pods: 2, cpu: '1' }, { domain: bob, pods: 2, cpu: '2' }] };
    await createGang(env.clients, spec);

    await eventually(async () => {
      expect((await taskResourceOf(spec.task, alice)).status?.phase).toBe('Reserved');
      const bobTr = await taskResourceOf(spec.task, bob);
      expect(bobTr.status?.phase).toBe('Reserving');
      // (Other tests' nodes are in the count too: the API server is shared.)
      expect(bobTr.status?.conditions?.find((c) => c.type === 'Reserving')?.reason).toMatch(
        /^cannot place minReservedPods=2 pods together: 0\/\d+ nodes are available: 1 Insufficient cpu, \d+ node\(s\) didn't match Pod's node affinity\/selector\.$/,
      );
    }, 15_000);
    // The bob pods say why, as kube-scheduler would.
    await eventually(async () => {
      const pod = await env.clients.pods.get(bob, `task-${alice}-party-0`);
      expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    });
    await new Promise((r) => setTimeout(r, 500));
    for (const pod of await podsOf(spec)) expect(pod.spec?.nodeName, pod.metadata?.name).toBeFalsy();

    await a.addNode(node(`${bob}-big`, bob, '8'));
    await eventually(async () => {
      for (const pod of await podsOf(spec)) expect(pod.spec?.nodeName, pod.metadata?.name).toBeTruthy();
    }, 15_000);
    const bobPods = (await podsOf(spec)).filter((p) => p.metadata?.namespace === bob);
    expect(bobPods.every((p) => p.spec?.nodeName === `${bob}-big`)).toBe(true);
  });

  it("fails the gang after its lifecycle and releases alice's reservation for another gang", async () => {
    const { alice, bob } = await domains();
    await agent([node(`${alice}-n1`, alice, '2'), node(`${bob}-n1`, bob, '1')]);
    await startTrgController();
    await startScheduler();
    const doomed: GangSpec = {
      task: `doomed-${alice}`,
      resourceReservedSeconds: 1,
      retryIntervalSeconds: 1,
      lifecycleSeconds: 4,
      parties: [{ domain: alice, pods: 2, cpu: '1' }, { domain: bob, pods: 1, cpu: '2' }],
    };
    await createGang(env.clients, doomed);
    // Alice reserves, the reservation expires (bob never fits) and is released.
    await eventually(async () => {
      const tr = await taskResourceOf(doomed.task, alice);
      const failed = tr.status?.conditions?.find((c) => c.type === 'Failed');
      expect(failed?.reason).toBe(
        `schedule task resource ${alice}/${tr.metadata?.name} failed: reservation expired, not Schedulable within 1 seconds; domain [${bob}] can not reserve resources for pods`,
      );
    }, 10_000);
    await eventually(async () => {
      const trg = await group(doomed.task);
      expect(trg.status?.phase).toBe('Failed');
      expect(trg.status?.conditions?.find((c) => c.type === 'TaskResourceGroupExpired')).toMatchObject({ status: 'True', reason: "Task resource group exceed it's lifecycle" });
    }, 15_000);
    for (const pod of await podsOf(doomed)) expect(pod.spec?.nodeName, pod.metadata?.name).toBeFalsy();

    // All of alice's node is free again: a gang needing all of it binds.
    const next: GangSpec = { task: `next-${alice}`, parties: [{ domain: alice, pods: 2, cpu: '1' }] };
    await createGang(env.clients, next);
    await eventually(async () => {
      for (const pod of await podsOf(next)) expect(pod.spec?.nodeName).toBe(`${alice}-n1`);
    }, 15_000);
  });

  it('two gangs competing for one node: one binds, the other waits, and the node is never overcommitted', async () => {
    const { alice, bob } = await domains();
    // Pods run for a while, then succeed: the waiting gang gets the node after the first one finishes.
    await agent([node(`${alice}-only`, alice, '3'), node(`${bob}-n1`, bob, '16')], () => ({ outcome: 'succeed', runMs: 1500 }));
    const recorder = await startRecorder();
    recorder.watchNode(`${alice}-only`, 3000);
    await startTrgController();
    await startScheduler();
    const first: GangSpec = { task: `g1-${alice}`, parties: [{ domain: alice, pods: 2, cpu: '1500m' }, { domain: bob, pods: 1, cpu: '1' }] };
    const second: GangSpec = { task: `g2-${alice}`, parties: [{ domain: alice, pods: 2, cpu: '1500m' }, { domain: bob, pods: 1, cpu: '1' }] };
    await Promise.all([createGang(env.clients, first), createGang(env.clients, second)]);

    const boundCount = async (spec: GangSpec) => (await podsOf(spec)).filter((p) => p.spec?.nodeName).length;
    await eventually(async () => expect((await boundCount(first)) + (await boundCount(second))).toBe(3), 15_000);
    const [b1, b2] = [await boundCount(first), await boundCount(second)];
    expect([b1, b2].sort()).toEqual([0, 3]);
    const waiting = b1 === 0 ? first : second;
    const waitingTr = await taskResourceOf(waiting.task, alice);
    expect(waitingTr.status?.phase).toBe('Reserving');

    // The winner's pods finish; the other gang then gets the node.
    await eventually(async () => expect(await boundCount(waiting)).toBe(3), 20_000);
    expect(recorder.overcommits).toEqual([]);
  });

  it('re-places a Reserved reservation after a scheduler restart, holding its capacity against other pods', async () => {
    const { alice, bob } = await domains();
    const a = await agent([node(`${alice}-n1`, alice, '2'), node(`${bob}-n1`, bob, '1')]);
    const recorder = await startRecorder();
    recorder.watchNode(`${alice}-n1`, 2000);
    await startTrgController();
    const stopFirst = await startScheduler();
    const spec: GangSpec = { task: `kept-${alice}`, lifecycleSeconds: 120, parties: [{ domain: alice, pods: 2, cpu: '1' }, { domain: bob, pods: 1, cpu: '2' }] };
    await createGang(env.clients, spec);
    await eventually(async () => expect((await taskResourceOf(spec.task, alice)).status?.phase).toBe('Reserved'), 15_000);

    // The new scheduler holds nothing in memory: it finds alice Reserved and places the pods again.
    await stopFirst();
    await startScheduler();
    // A pod outside any gang wants alice's node meanwhile: the re-placed reservation keeps it off.
    await env.clients.pods.create(plainPod('intruder', alice, '1'));
    await eventually(async () => {
      const intruder = await env.clients.pods.get(alice, 'intruder');
      expect(intruder.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toMatch(
        /^0\/\d+ nodes are available: 1 Insufficient cpu, \d+ node\(s\) didn't match Pod's node affinity\/selector\.$/,
      );
    }, 15_000);

    await a.addNode(node(`${bob}-n2`, bob, '4'));
    await eventually(async () => {
      for (const pod of await podsOf(spec)) expect(pod.spec?.nodeName, pod.metadata?.name).toBeTruthy();
    }, 15_000);
    expect((await env.clients.pods.get(alice, 'intruder')).spec?.nodeName).toBeFalsy();
    expect(recorder.overcommits).toEqual([]);
  });

  it('fails a Reserved TaskResource with the reason when, after a restart, its pods no longer fit', async () => {
    const { alice, bob } = await domains();
    await agent([node(`${alice}-n1`, alice, '2'), node(`${bob}-n1`, bob, '1')]);
    await startTrgController();
    const stopFirst = await startScheduler();
    const spec: GangSpec = { task: `lost-${alice}`, lifecycleSeconds: 120, parties: [{ domain: alice, pods: 2, cpu: '1' }, { domain: bob, pods: 1, cpu: '2' }] };
    await createGang(env.clients, spec);
    await eventually(async () => expect((await taskResourceOf(spec.task, alice)).status?.phase).toBe('Reserved'), 15_000);
    await stopFirst();

    // While no scheduler runs, a pod bound straight to alice's node takes half of it.
    const squatter = plainPod('squatter', alice, '1');
    squatter.spec!.nodeName = `${alice}-n1`;
    squatter.spec!.schedulerName = 'default-scheduler';
    await env.clients.pods.create(squatter);
    await startScheduler();
    await eventually(async () => {
      const tr = await taskResourceOf(spec.task, alice);
      expect(tr.status?.phase).toBe('Failed');
      const reason = tr.status?.conditions?.find((c) => c.type === 'Failed')?.reason ?? '';
      expect(reason).toContain(
        `schedule task resource ${alice}/${tr.metadata?.name} failed: it was Reserved but the scheduler held no reservation for it (scheduler restart) and its pods no longer fit: `,
      );
      expect(reason).toMatch(/cannot place minReservedPods=2 pods together: 0\/\d+ nodes are available: 1 Insufficient cpu, \d+ node\(s\) didn't match/);
    }, 15_000);
    for (const pod of await podsOf(spec)) expect(pod.spec?.nodeName, pod.metadata?.name).toBeFalsy();
  });
});

function plainPod(name: string, domain: string, cpu: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: domain },
    spec: {
      schedulerName: 'kuscia-scheduler',
      tolerations: [{ operator: 'Exists' }],
      nodeSelector: { [Labels.NodeNamespace]: domain },
      containers: [{ name: 'main', image: 'x', resources: { requests: { cpu } } }],
    },
  };
}
