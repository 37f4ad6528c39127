/**
 * The TaskResourceGroup controller on the embedded API server. The test plays the KusciaTask
 * controller (it creates the pods and the group) and the scheduler (it moves TaskResources to
 * Reserved or Failed), and checks what both of them rely on: TaskResources per party, pod links,
 * the group's phases, the retry, the lifecycle deadline and a restart without duplicates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTaskResourceGroupController } from '../../../pkg/controllers/taskresourcegroup/index.ts';
import { Annotations, KUSCIA_SCHEDULER_NAME, Labels } from '../../../pkg/crd/constants.ts';
import {
  RETRY_RESERVE_RESOURCE_REASON,
  type TaskResource,
  type TaskResourceGroup,
  type TaskResourceGroupParty,
  type TaskResourcePhase,
} from '../../../pkg/crd/resource.ts';
import { updateStatusWithRetry } from '../../../pkg/kube/status-update.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';

const ALICE = 'alice';
const BOB = 'bob';
const CAROL = 'carol';

let env: ControllerTestEnv;

/** Two containers per pod, so the TaskResource must show their sum. */
async function createTaskPod(namespace: string, name: string, group: string): Promise<void> {
  const resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } };
  await env.clients.pods.create({
    metadata: {
      name,
      namespace,
      labels: { [Labels.TaskResourceUID]: '' },
      annotations: { [Annotations.TaskResourceGroup]: group, [Annotations.TaskResource]: '' },
    },
    spec: {
      schedulerName: KUSCIA_SCHEDULER_NAME,
      containers: [
        { name: 'main', image: 'secretflow/app:1', resources },
        { name: 'sidecar', image: 'secretflow/app:1', resources },
      ],
    },
  });
}

interface GroupSpec {
  minReservedMembers: number;
  parties?: string[];
  outOfControlled?: string[];
  lifecycleSeconds?: number;
  retryIntervalSeconds?: number;
}

/** Pods `<task>-<domain>-0` and the group `<task>`, as the KusciaTask controller creates them. */
async function createTask(task: string, spec: GroupSpec): Promise<TaskResourceGroup> {
  const domains = spec.parties ?? [ALICE, BOB];
  for (const domain of domains) await createTaskPod(domain, `${task}-${domain}-0`, task);
  const party = (domain: string, withPods: boolean): TaskResourceGroupParty => ({
    domainID: domain,
    role: domain === ALICE ? 'guest' : 'host',
    minReservedPods: 1,
    pods: withPods ? [{ name: `${task}-${domain}-0` }] : [{ name: `${task}-0` }],
  });
  return env.clients.taskResourceGroups.create({
    metadata: { name: task, annotations: { [Annotations.JobID]: `job-${task}`, [Annotations.TaskID]: task, [Annotations.TaskAlias]: 'psi' } },
    spec: {
      minReservedMembers: spec.minReservedMembers,
      initiator: ALICE,
      lifecycleSeconds: spec.lifecycleSeconds,
      retryIntervalSeconds: spec.retryIntervalSeconds,
      parties: domains.map((d) => party(d, true)),
      ...(spec.outOfControlled ? { outOfControlledParties: spec.outOfControlled.map((d) => party(d, false)) } : {}),
    },
  });
}

const getGroup = (name: string) => env.clients.taskResourceGroups.get('', name);

async function taskResourcesOf(group: TaskResourceGroup): Promise<TaskResource[]> {
  const list = await env.clients.taskResources.list(undefined, { labelSelector: `${Labels.TaskResourceGroupUID}=${group.metadata.uid}` });
  return list.items;
}

/** The TaskResource of `domain` once the group has created it. */
async function taskResourceIn(group: string, domain: string): Promise<TaskResource> {
  let found: TaskResource | undefined;
  await eventually(async () => {
    const trs = await taskResourcesOf(await getGroup(group));
    found = trs.find((tr) => tr.metadata.namespace === domain);
    expect(found).toBeDefined();
  });
  return found!;
}

/** What the scheduler does: one TaskResource's phase (whole-object PUT, no status subresource). */
async function setTaskResourcePhase(tr: TaskResource, phase: TaskResourcePhase): Promise<void> {
  await updateStatusWithRetry(env.clients.taskResources, tr.metadata.namespace ?? '', tr.metadata.name ?? '', (copy) => {
    copy.status = { ...copy.status, phase };
  });
}

/** Waits for the phase; Reserved and Failed also for the group to be complete (their handler has run). */
async function eventuallyGroupPhase(name: string, phase: string, timeoutMs = 10_000): Promise<TaskResourceGroup> {
  let group: TaskResourceGroup | undefined;
  await eventually(async () => {
    group = await getGroup(name);
    expect(group.status?.phase).toBe(phase);
    if (phase === 'Reserved' || phase === 'Failed') expect(group.status?.completionTime).toBeDefined();
  }, timeoutMs);
  return group!;
}

async function eventuallyAllTaskResources(name: string, phase: TaskResourcePhase): Promise<TaskResource[]> {
  let trs: TaskResource[] = [];
  await eventually(async () => {
    trs = await taskResourcesOf(await getGroup(name));
    expect(trs.length).toBeGreaterThan(0);
    expect(trs.map((tr) => tr.status?.phase)).toEqual(trs.map(() => phase));
  });
  return trs;
}

const condition = (group: TaskResourceGroup, type: string) => group.status?.conditions?.find((c) => c.type === type);

async function startController(): Promise<() => Promise<void>> {
  const ctx = env.context();
  return env.startControllers(ctx, [newTaskResourceGroupController(ctx)]);
}

beforeAll(async () => {
  env = await startControllerTestEnv();
  await env.createNamespaces(ALICE, BOB);
  await env.clients.namespaces.create({ metadata: { name: CAROL, labels: { [Labels.DomainRole]: 'partner' } } });
});

afterAll(async () => {
  await env?.stop();
});

describe('TaskResourceGroup controller', () => {
  let stopController: () => Promise<void>;
  beforeAll(async () => {
    stopController = await startController();
  });
  afterAll(async () => {
    await stopController?.();
  });

  it('creates a Reserving TaskResource per party and links every pod to it', async () => {
    await createTask('task-create', { minReservedMembers: 2 });
    const group = await eventuallyGroupPhase('task-create', 'Reserving');
    expect(condition(group, 'TaskResourceGroupValidated')?.status).toBe('True');
    expect(condition(group, 'TaskResourcesCreated')?.status).toBe('True');
    expect(group.status?.startTime).toBeDefined();

    const trs = await taskResourcesOf(group);
    expect(trs.map((tr) => tr.metadata.namespace).sort()).toEqual([ALICE, BOB]);
    for (const party of group.spec.parties) {
      const tr = trs.find((t) => t.metadata.namespace === party.domainID)!;
      // The generated name was written into the group's spec and used for the TaskResource.
      expect(party.taskResourceName).toMatch(/^task-create-[0-9a-f]{12}$/);
      expect(tr.metadata.name).toBe(party.taskResourceName);
      expect(tr.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'TaskResourceGroup', name: 'task-create', uid: group.metadata.uid, controller: true }),
      ]);
      expect(tr.metadata.annotations).toMatchObject({
        [Annotations.Initiator]: ALICE,
        [Annotations.JobID]: 'job-task-create',
        [Annotations.TaskID]: 'task-create',
        [Annotations.TaskAlias]: 'psi',
        [Annotations.TaskResourceGroup]: 'task-create',
      });
      expect(tr.spec).toEqual({
        role: party.role,
        minReservedPods: 1,
        resourceReservedSeconds: 30,
        initiator: ALICE,
        pods: [{ name: `task-create-${party.domainID}-0`, resources: { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } } }],
      });
      expect(tr.status?.phase).toBe('Reserving');
      expect(tr.status?.conditions).toEqual([expect.objectContaining({ type: 'Reserving', status: 'True' })]);

      await eventually(async () => {
        const pod = await env.clients.pods.get(party.domainID, `task-create-${party.domainID}-0`);
        expect(pod.metadata?.labels).toMatchObject({ [Labels.TaskResourceUID]: tr.metadata.uid, [Labels.TaskResourceGroupUID]: group.metadata.uid });
        expect(pod.metadata?.annotations?.[Annotations.TaskResource]).toBe(tr.metadata.name);
      });
    }
  });

  it('goes Reserved when every party reserved and makes every TaskResource Schedulable', async () => {
    await createTask('task-reserve', { minReservedMembers: 2 });
    const alice = await taskResourceIn('task-reserve', ALICE);
    const bob = await taskResourceIn('task-reserve', BOB);
    await setTaskResourcePhase(alice, 'Reserved');
    // One of two is not enough.
    await new Promise((r) => setTimeout(r, 200));
    expect((await getGroup('task-reserve')).status?.phase).toBe('Reserving');

    await setTaskResourcePhase(bob, 'Reserved');
    const trs = await eventuallyAllTaskResources('task-reserve', 'Schedulable');
    for (const tr of trs) {
      expect(tr.status?.conditions).toContainEqual(
        expect.objectContaining({ type: 'Schedulable', status: 'True', reason: 'Pods belonging to task resource group can be bound' }),
      );
      expect(tr.status?.completionTime).toBeDefined();
    }
    const group = await eventuallyGroupPhase('task-reserve', 'Reserved');
    expect(condition(group, 'TaskResourcesReserved')?.status).toBe('True');
    expect(condition(group, 'TaskResourcesScheduled')?.status).toBe('True');
    expect(group.status?.completionTime).toBeDefined();
  });

  it('is Reserved with one party when minReservedMembers is 1', async () => {
    await createTask('task-one-of-two', { minReservedMembers: 1 });
    await setTaskResourcePhase(await taskResourceIn('task-one-of-two', ALICE), 'Reserved');
    await eventuallyGroupPhase('task-one-of-two', 'Reserved');
    await eventuallyAllTaskResources('task-one-of-two', 'Schedulable');
  });

  it('goes ReserveFailed when a party fails, then retries after retryIntervalSeconds', async () => {
    // ReserveFailed lasts retryIntervalSeconds: long enough that polling sees it on a loaded CI machine
    // (with 1 s a fresh-clone run once saw only the Reserving after the retry).
    await createTask('task-retry', { minReservedMembers: 2, retryIntervalSeconds: 3 });
    const alice = await taskResourceIn('task-retry', ALICE);
    await setTaskResourcePhase(alice, 'Reserved');
    await setTaskResourcePhase(await taskResourceIn('task-retry', BOB), 'Failed');

    const failed = await eventuallyGroupPhase('task-retry', 'ReserveFailed');
    expect(condition(failed, 'TaskResourcesReserved')).toMatchObject({
      status: 'False',
      reason: 'The remaining number of parties 1 is less than the schedulable threshold 2',
    });
    // The reserved party gives its reservation back too.
    expect((await env.clients.taskResources.get(ALICE, alice.metadata.name!)).status?.phase).toBe('Failed');

    const group = await eventuallyGroupPhase('task-retry', 'Reserving', 8_000);
    expect(group.status?.retryCount).toBe(1);
    const trs = await eventuallyAllTaskResources('task-retry', 'Reserving');
    for (const tr of trs) {
      expect(tr.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Reserved', status: 'False', reason: RETRY_RESERVE_RESOURCE_REASON }));
    }
    // The pods were touched, so a scheduler that gave up on them looks again.
    const pod = await env.clients.pods.get(ALICE, 'task-retry-alice-0');
    expect(pod.metadata?.annotations?.[Annotations.TaskResourceReservingTimestamp]).toBeDefined();

    // The retry can succeed.
    for (const tr of trs) await setTaskResourcePhase(tr, 'Reserved');
    await eventuallyGroupPhase('task-retry', 'Reserved');
  });

  it('fails a group that does not reserve within lifecycleSeconds, and its TaskResources', async () => {
    await createTask('task-expire', { minReservedMembers: 2, lifecycleSeconds: 1 });
    await taskResourceIn('task-expire', BOB);
    const group = await eventuallyGroupPhase('task-expire', 'Failed', 5_000);
    expect(condition(group, 'TaskResourceGroupExpired')).toMatchObject({ status: 'True', reason: "Task resource group exceed it's lifecycle" });
    expect(condition(group, 'TaskResourceGroupFailed')?.status).toBe('True');
    expect(group.status?.completionTime).toBeDefined();
    const trs = await eventuallyAllTaskResources('task-expire', 'Failed');
    expect(trs).toHaveLength(2);
  });

  it('fails an invalid group without creating TaskResources', async () => {
    const created = await createTask('task-invalid', { minReservedMembers: 3 });
    const group = await eventuallyGroupPhase('task-invalid', 'Failed');
    expect(condition(group, 'TaskResourceGroupValidated')).toMatchObject({
      status: 'False',
      reason: "Validate task resouce group failed, task resource group task-invalid minReservedMembers can't be greater than party counts",
    });
    expect(group.status?.completionTime).toBeDefined();
    expect(await taskResourcesOf(created)).toEqual([]);
  });

  it("creates the partner's TaskResource too when this cluster initiates, without touching partner pods", async () => {
    await createTask('task-partner', { minReservedMembers: 2, parties: [ALICE], outOfControlled: [CAROL] });
    const carol = await taskResourceIn('task-partner', CAROL);
    expect(carol.spec.pods).toEqual([{ name: 'task-partner-0' }]);
    expect(carol.status?.phase).toBe('Reserving');
    // Interconn would mirror the partner's answer here; both reserved → Reserved.
    await setTaskResourcePhase(await taskResourceIn('task-partner', ALICE), 'Reserved');
    await setTaskResourcePhase(carol, 'Reserved');
    await eventuallyGroupPhase('task-partner', 'Reserved');
  });
});

describe('TaskResourceGroup controller restart', () => {
  it('continues with the TaskResources of the previous instance instead of creating new ones', async () => {
    const stopFirst = await startController();
    await createTask('task-restart', { minReservedMembers: 2 });
    await eventuallyGroupPhase('task-restart', 'Reserving');
    const before = await taskResourcesOf(await getGroup('task-restart'));
    await stopFirst();

    const stopSecond = await startController();
    try {
      for (const tr of before) await setTaskResourcePhase(tr, 'Reserved');
      await eventuallyGroupPhase('task-restart', 'Reserved');
      const after = await eventuallyAllTaskResources('task-restart', 'Schedulable');
      expect(after.map((tr) => tr.metadata.uid).sort()).toEqual(before.map((tr) => tr.metadata.uid).sort());
      for (const ns of [ALICE, BOB]) expect((await env.clients.taskResources.list(ns)).items.filter((tr) => tr.metadata.name?.startsWith('task-restart'))).toHaveLength(1);
    } finally {
      await stopSecond();
    }
  });
});
