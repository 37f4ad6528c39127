/**
 * The KusciaJob controller against the embedded API server. No KusciaTask controller runs here:
 * the tests play its role by writing KusciaTask phases through the status subresource.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerContext } from '../../../pkg/controllers/common/controller-context.ts';
import { newKusciaJobController, newKusciaJobGCController } from '../../../pkg/controllers/kusciajob/index.ts';
import {
  API_VERSION,
  Annotations,
  CROSS_DOMAIN_NAMESPACE,
  Labels,
  type KusciaJob,
  type KusciaJobSpec,
  type KusciaTask,
  type KusciaTaskPhase,
  type KusciaTaskTemplate,
} from '../../../pkg/crd/index.ts';
import { updateStatusWithRetry } from '../../../pkg/kube/status-update.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';

const NS = CROSS_DOMAIN_NAMESPACE;
const APP_IMAGE = 'secretflow-image';
let env: ControllerTestEnv;

beforeAll(async () => {
  env = await startControllerTestEnv();
  await env.createNamespaces('alice', 'bob');
  await env.clients.appImages.create({
    apiVersion: API_VERSION,
    kind: 'AppImage',
    metadata: { name: APP_IMAGE },
    spec: {
      image: { name: 'secretflow/secretflow-lite-anolis8', tag: '1.0.0' },
      deployTemplates: [
        { name: 'two-containers', role: 'client', replicas: 1, spec: { containers: [{ name: 'main' }, { name: 'sidecar', env: [{ name: 'A', value: '1' }] }] } },
        { name: 'default', replicas: 2, spec: { containers: [{ name: 'main' }] } },
      ],
    },
  });
});

afterAll(async () => {
  await env?.stop();
});

/** A fresh job controller on its own informers (and so its own caches), as a new process would have. */
async function startJobController(options: Parameters<typeof newKusciaJobController>[1] = {}): Promise<() => Promise<void>> {
  const ctx: ControllerContext = env.context();
  return env.startControllers(ctx, [newKusciaJobController(ctx, options)]);
}

function task(alias: string, extra: Partial<KusciaTaskTemplate> = {}): KusciaTaskTemplate {
  return {
    alias,
    taskID: `${alias}-${Math.random().toString(36).slice(2, 8)}`,
    appImage: APP_IMAGE,
    taskInputConfig: `{"alias":"${alias}"}`,
    parties: [
      { domainID: 'alice', role: 'client' },
      { domainID: 'bob', role: 'client' },
    ],
    ...extra,
  };
}

/** A task whose taskID the initiator's controller must generate. */
function withoutTaskID(template: KusciaTaskTemplate): KusciaTaskTemplate {
  const { taskID: _generated, ...rest } = template;
  return rest;
}

let jobCounter = 0;
async function createJob(spec: Partial<KusciaJobSpec> & { tasks: KusciaTaskTemplate[] }, namespace = NS): Promise<KusciaJob> {
  const name = `job-${++jobCounter}-${Math.random().toString(36).slice(2, 6)}`;
  return env.clients.kusciaJobs.create({
    apiVersion: API_VERSION,
    kind: 'KusciaJob',
    metadata: { name, namespace },
    spec: { initiator: 'alice', ...spec },
  });
}

const getJob = (name: string) => env.clients.kusciaJobs.get(NS, name);

async function waitForJob(name: string, check: (job: KusciaJob) => void, timeoutMs = 10_000): Promise<KusciaJob> {
  let last!: KusciaJob;
  await eventually(async () => {
    last = await getJob(name);
    check(last);
  }, timeoutMs);
  return last;
}

async function tasksOf(job: KusciaJob): Promise<KusciaTask[]> {
  const list = await env.clients.kusciaTasks.list(NS, { labelSelector: `${Labels.JobUID}=${job.metadata.uid}` });
  return list.items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

async function taskNamesOf(job: KusciaJob): Promise<string[]> {
  return (await tasksOf(job)).map((t) => t.metadata.name ?? '');
}

/** Plays the KusciaTask controller: moves a task to a phase. */
async function setTaskPhase(name: string, phase: KusciaTaskPhase): Promise<void> {
  await updateStatusWithRetry(env.clients.kusciaTasks, NS, name, (t) => {
    t.status = { ...t.status, phase };
  });
}

async function label(job: KusciaJob, labels: Record<string, string>): Promise<void> {
  await env.clients.kusciaJobs.patch(NS, job.metadata.name ?? '', { metadata: { labels } }, { type: 'merge' });
}

/** Asserts that nothing changes for a while (a task that must not be created). */
async function staysFor(ms: number, check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await check();
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('KusciaJob controller', () => {
  let stop: () => Promise<void>;
  beforeAll(async () => {
    stop = await startJobController();
  });
  afterAll(async () => {
    await stop?.();
  });

  it('runs a linear DAG a→b: b only after a succeeded, then the job succeeds', async () => {
    const job = await createJob({
      tasks: [
        { ...withoutTaskID(task('a')), parties: [{ domainID: 'alice', role: 'client', resources: { limits: { cpu: '2', memory: '4Gi' } } }, { domainID: 'bob', role: 'server' }] },
        task('b', { dependencies: ['a'] }),
      ],
    });
    const name = job.metadata.name!;

    // The initiator writes a taskID for `a` into the spec, and validates and annotates the job.
    const running = await waitForJob(name, (j) => expect(j.status?.phase).toBe('Running'));
    const taskA = running.spec.tasks[0]!.taskID!;
    expect(taskA).toMatch(new RegExp(`^${name}-[0-9a-f]{12}$`));
    expect(running.metadata.annotations).toMatchObject({
      [Annotations.SelfClusterAsInitiator]: 'true',
      [Annotations.Initiator]: 'alice',
      [Annotations.InterConnSelfParties]: 'alice_bob',
    });
    expect(running.status?.conditions).toContainEqual(expect.objectContaining({ type: 'JobValidated', status: 'True' }));
    expect(running.status?.stageStatus).toEqual({ alice: 'JobCreateStageSucceeded', bob: 'JobCreateStageSucceeded' });
    expect(running.status?.approveStatus).toEqual({ alice: 'JobAccepted', bob: 'JobAccepted' });
    expect(running.status?.startTime).toBeTruthy();

    await eventually(async () => expect(await taskNamesOf(job)).toEqual([taskA]));
    const [created] = await tasksOf(job);
    expect(created!.metadata.labels).toMatchObject({ [Labels.Controller]: 'kuscia-job', [Labels.JobUID]: job.metadata.uid });
    expect(created!.metadata.annotations).toMatchObject({
      [Annotations.JobID]: name,
      [Annotations.TaskAlias]: 'a',
      [Annotations.SelfClusterAsParticipant]: 'true',
      [Annotations.Initiator]: 'alice',
    });
    expect(created!.metadata.ownerReferences).toEqual([
      { apiVersion: API_VERSION, kind: 'KusciaJob', name, uid: job.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    // alice (role client) asked for 2 cpu / 4Gi in total: split over the 2 containers of the client template.
    // bob asked for nothing: the AppImage's own template stays.
    expect(created!.spec).toEqual({
      initiator: 'alice',
      taskInputConfig: '{"alias":"a"}',
      parties: [
        {
          domainID: 'alice',
          appImageRef: APP_IMAGE,
          role: 'client',
          template: {
            spec: {
              containers: [
                { name: 'main', resources: { limits: { cpu: '1', memory: '2Gi' } } },
                { name: 'sidecar', resources: { limits: { cpu: '1', memory: '2Gi' } } },
              ],
            },
          },
        },
        { domainID: 'bob', appImageRef: APP_IMAGE, role: 'server' },
      ],
    });

    const taskB = running.spec.tasks[1]!.taskID!;
    await setTaskPhase(taskA, 'Running');
    await waitForJob(name, (j) => expect(j.status?.taskStatus).toEqual({ [taskA]: 'Running' }));
    expect(await taskNamesOf(job)).toEqual([taskA]);

    await setTaskPhase(taskA, 'Succeeded');
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([taskA, taskB].sort()));
    await setTaskPhase(taskB, 'Succeeded');
    const done = await waitForJob(name, (j) => expect(j.status?.phase).toBe('Succeeded'));
    expect(done.status?.taskStatus).toEqual({ [taskA]: 'Succeeded', [taskB]: 'Succeeded' });
    expect(done.status?.completionTime).toBeTruthy();
  });

  it('Strict: a critical failure fails the job without creating lower-priority or dependent tasks', async () => {
    const a = task('a', { priority: 100 });
    const b = task('b', { priority: 10 });
    const c = task('c', { dependencies: ['a'] });
    const job = await createJob({ scheduleMode: 'Strict', maxParallelism: 1, tasks: [b, c, a] });
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID]));
    await setTaskPhase(a.taskID!, 'Failed');
    const failed = await waitForJob(job.metadata.name!, (j) => {
      expect(j.status?.phase).toBe('Failed');
      expect(j.status?.completionTime).toBeTruthy();
    });
    expect(failed.status?.taskStatus).toEqual({ [a.taskID!]: 'Failed' });
    await staysFor(400, async () => expect(await taskNamesOf(job)).toEqual([a.taskID]));
  });

  it('BestEffort: independent tasks still run after a failure, then the job fails', async () => {
    const a = task('a', { priority: 100 });
    const b = task('b', { priority: 10 });
    const c = task('c', { dependencies: ['a'] });
    const job = await createJob({ scheduleMode: 'BestEffort', maxParallelism: 1, tasks: [a, b, c] });
    const name = job.metadata.name!;
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID]));
    await setTaskPhase(a.taskID!, 'Failed');
    // b does not depend on a: it is created and the job keeps running.
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID, b.taskID].sort()));
    expect((await getJob(name)).status?.phase).toBe('Running');
    await setTaskPhase(b.taskID!, 'Succeeded');
    const failed = await waitForJob(name, (j) => expect(j.status?.phase).toBe('Failed'));
    expect(failed.status?.taskStatus).toEqual({ [a.taskID!]: 'Failed', [b.taskID!]: 'Succeeded' });
    // c depends on the failed a: never created.
    expect(await taskNamesOf(job)).toEqual([a.taskID, b.taskID].sort());
  });

  it('a failed tolerable task keeps the job Succeeded', async () => {
    const a = task('a', { tolerable: true, priority: 100 });
    const b = task('b');
    const job = await createJob({ scheduleMode: 'Strict', maxParallelism: 2, tasks: [a, b] });
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID, b.taskID].sort()));
    await setTaskPhase(a.taskID!, 'Failed');
    await setTaskPhase(b.taskID!, 'Succeeded');
    const done = await waitForJob(job.metadata.name!, (j) => expect(j.status?.phase).toBe('Succeeded'));
    expect(done.status?.taskStatus).toEqual({ [a.taskID!]: 'Failed', [b.taskID!]: 'Succeeded' });
  });

  it('a cyclic job fails validation (reason ValidateFailed) and creates nothing', async () => {
    const job = await createJob({ tasks: [task('a', { dependencies: ['c'] }), task('b', { dependencies: ['a'] }), task('c', { dependencies: ['b'] })] });
    const failed = await waitForJob(job.metadata.name!, (j) => {
      expect(j.status?.phase).toBe('Failed');
      expect(j.status?.completionTime).toBeTruthy();
    });
    expect(failed.status?.reason).toBe('ValidateFailed');
    expect(failed.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'JobValidated', status: 'False', reason: 'ValidateFailed', message: 'Validate job failed, validate failed: cycled dependencies: a -> b -> c -> a' }),
    );
    expect(await taskNamesOf(job)).toEqual([]);
  });

  it('a job whose initiator namespace does not exist fails validation', async () => {
    const job = await createJob({ initiator: 'nobody', tasks: [task('a')] });
    const failed = await waitForJob(job.metadata.name!, (j) => expect(j.status?.phase).toBe('Failed'));
    expect(failed.status?.reason).toBe('ValidateFailed');
    expect(failed.status?.message).toBe(`Validate job failed, can't find initiator namespace nobody under cluster, namespace "nobody" not found`);
  });

  it('maxParallelism 2 with 3 independent tasks creates 2, then the third when one finishes', async () => {
    const [a, b, c] = [task('a', { priority: 3 }), task('b', { priority: 2 }), task('c', { priority: 1 })];
    const job = await createJob({ maxParallelism: 2, tasks: [c, b, a] });
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID, b.taskID].sort()));
    await staysFor(300, async () => expect(await taskNamesOf(job)).toHaveLength(2));
    await setTaskPhase(b.taskID!, 'Succeeded');
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID, b.taskID, c.taskID].sort()));
  });

  it('a task name taken by something else fails the job with CreateTaskFailed', async () => {
    const taken = task('a');
    await env.clients.kusciaTasks.create({
      apiVersion: API_VERSION,
      kind: 'KusciaTask',
      metadata: { name: taken.taskID!, namespace: NS },
      spec: { initiator: 'alice', taskInputConfig: '{}', parties: [{ domainID: 'alice', appImageRef: APP_IMAGE }] },
    });
    const job = await createJob({ tasks: [taken] });
    const failed = await waitForJob(job.metadata.name!, (j) => expect(j.status?.phase).toBe('Failed'));
    expect(failed.status?.reason).toBe('CreateTaskFailed');
    expect(failed.status?.message).toBe(`Failed to create task ${taken.taskID} because of a task with the same name already exists`);
    // The other owner's task is left alone.
    expect((await env.clients.kusciaTasks.get(NS, taken.taskID!)).status?.phase).toBeUndefined();
  });

  it('Stop: stops the running task and fails the job with the trigger named', async () => {
    const a = task('a');
    const job = await createJob({ tasks: [a, task('b', { dependencies: ['a'] })] });
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID]));
    await setTaskPhase(a.taskID!, 'Running');
    await waitForJob(job.metadata.name!, (j) => expect(j.status?.taskStatus).toEqual({ [a.taskID!]: 'Running' }));
    await label(job, { [Labels.JobStage]: 'Stop', [Labels.JobStageTrigger]: 'alice', [Labels.JobStageVersion]: '1' });

    const stopped = await waitForJob(job.metadata.name!, (j) => {
      expect(j.status?.phase).toBe('Failed');
      expect(j.status?.completionTime).toBeTruthy();
    });
    expect(stopped.status?.reason).toBe('Party: alice execute the cmd: Stop.');
    expect(stopped.status?.message).toBe('Party: alice execute the cmd: Stop.');
    expect(stopped.status?.stageStatus).toEqual({ alice: 'JobStopStageSucceeded', bob: 'JobStopStageSucceeded' });
    expect(stopped.status?.taskStatus).toEqual({ [a.taskID!]: 'Failed' });
    const stoppedTask = await env.clients.kusciaTasks.get(NS, a.taskID!);
    expect(stoppedTask.status).toMatchObject({ phase: 'Failed', reason: 'KusciaJobStopped', message: 'Job was stopped' });
    expect(stoppedTask.status?.partyTaskStatus).toEqual([
      { domainID: 'alice', role: 'client', phase: 'Failed' },
      { domainID: 'bob', role: 'client', phase: 'Failed' },
    ]);
  });

  it('Cancel: the job is Cancelled for good', async () => {
    const a = task('a');
    const job = await createJob({ tasks: [a] });
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID]));
    await label(job, { [Labels.JobStage]: 'Cancel', [Labels.JobStageTrigger]: 'bob' });
    const cancelled = await waitForJob(job.metadata.name!, (j) => {
      expect(j.status?.phase).toBe('Cancelled');
      expect(j.status?.completionTime).toBeTruthy();
    });
    expect(cancelled.status?.reason).toBe('Party: bob execute the cmd: Cancel.');
    expect(cancelled.status?.stageStatus).toEqual({ alice: 'JobCancelStageSucceeded', bob: 'JobCancelStageSucceeded' });
    expect((await env.clients.kusciaTasks.get(NS, a.taskID!)).status?.phase).toBe('Failed');
    // Restarting a cancelled job does nothing.
    await label(job, { [Labels.JobStage]: 'Restart' });
    await staysFor(300, async () => expect((await getJob(job.metadata.name!)).status?.phase).toBe('Cancelled'));
  });

  it('Suspend then Restart: Succeeded tasks are kept, unfinished ones are re-created', async () => {
    const a = task('a');
    const b = task('b', { dependencies: ['a'] });
    const job = await createJob({ tasks: [a, b] });
    const name = job.metadata.name!;
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID]));
    await setTaskPhase(a.taskID!, 'Succeeded');
    await eventually(async () => expect(await taskNamesOf(job)).toEqual([a.taskID, b.taskID].sort()));
    await setTaskPhase(b.taskID!, 'Running');
    await waitForJob(name, (j) => expect(j.status?.taskStatus?.[b.taskID!]).toBe('Running'));
    const [uidA, uidB] = (await tasksOf(job)).map((t) => t.metadata.uid);

    await label(job, { [Labels.JobStage]: 'Suspend', [Labels.JobStageTrigger]: 'alice', [Labels.JobStageVersion]: '1' });
    const suspended = await waitForJob(name, (j) => expect(j.status?.phase).toBe('Suspended'));
    expect(suspended.status?.reason).toBe('Party: alice execute the cmd: Suspend.');
    expect(suspended.status?.completionTime).toBeUndefined();
    expect(suspended.status?.stageStatus).toEqual({ alice: 'JobSuspendStageSucceeded', bob: 'JobSuspendStageSucceeded' });
    expect((await env.clients.kusciaTasks.get(NS, b.taskID!)).status?.reason).toBe('KusciaJobStopped');
    await waitForJob(name, (j) => expect(j.status?.taskStatus).toEqual({ [a.taskID!]: 'Succeeded', [b.taskID!]: 'Failed' }));

    await label(job, { [Labels.JobStage]: 'Restart', [Labels.JobStageTrigger]: 'alice', [Labels.JobStageVersion]: '2' });
    const restarted = await waitForJob(name, (j) => {
      expect(j.status?.phase).toBe('Running');
      // Once every party restarted, the initiator puts the stage back to Start (version + 1) ...
      expect(j.metadata.labels).toMatchObject({ [Labels.JobStage]: 'Start', [Labels.JobStageTrigger]: 'alice', [Labels.JobStageVersion]: '3' });
      // ... and Start is recorded.
      expect(j.status?.stageStatus).toEqual({ alice: 'JobStartStageSucceeded', bob: 'JobStartStageSucceeded' });
    });
    expect(restarted.status?.message).toBe('This job is restarted by alice');
    expect(restarted.status?.completionTime).toBeUndefined();
    // b is a new KusciaTask (new uid); a is the same one, not run again.
    await eventually(async () => {
      const tasks = await tasksOf(job);
      expect(tasks.map((t) => t.metadata.name)).toEqual([a.taskID, b.taskID].sort());
      const byName = new Map(tasks.map((t) => [t.metadata.name, t]));
      expect(byName.get(a.taskID!)?.metadata.uid).toBe(uidA);
      expect(byName.get(b.taskID!)?.metadata.uid).not.toBe(uidB);
      expect(byName.get(b.taskID!)?.status?.phase).toBeUndefined();
    });
    await setTaskPhase(b.taskID!, 'Succeeded');
    await waitForJob(name, (j) => expect(j.status?.phase).toBe('Succeeded'));
  });

  it('Restart of a Failed job re-runs only the failed task', async () => {
    const a = task('a', { priority: 2 });
    const b = task('b', { priority: 1 });
    const job = await createJob({ scheduleMode: 'BestEffort', maxParallelism: 2, tasks: [a, b] });
    const name = job.metadata.name!;
    await eventually(async () => expect(await taskNamesOf(job)).toHaveLength(2));
    await setTaskPhase(a.taskID!, 'Succeeded');
    await setTaskPhase(b.taskID!, 'Failed');
    await waitForJob(name, (j) => expect(j.status?.completionTime).toBeTruthy());
    const oldB = (await env.clients.kusciaTasks.get(NS, b.taskID!)).metadata.uid;

    await label(job, { [Labels.JobStage]: 'Restart', [Labels.JobStageTrigger]: 'bob' });
    await eventually(async () => {
      const newB = await env.clients.kusciaTasks.get(NS, b.taskID!);
      expect(newB.metadata.uid).not.toBe(oldB);
    });
    await setTaskPhase(b.taskID!, 'Succeeded');
    const done = await waitForJob(name, (j) => expect(j.status?.phase).toBe('Succeeded'));
    expect(done.status?.taskStatus).toEqual({ [a.taskID!]: 'Succeeded', [b.taskID!]: 'Succeeded' });
  });

  it('force-fails a job after 3 retries of a persistent error (a task name the API server refuses)', async () => {
    // The job CRD's taskID pattern is unanchored (as Kuscia's), so this passes; KusciaTask creation does not.
    const job = await createJob({ tasks: [task('a', { taskID: 'Bad_Task' })] });
    const failed = await waitForJob(job.metadata.name!, (j) => expect(j.status?.phase).toBe('Failed'));
    expect(failed.status?.message).toMatch(/^KusciaJob failed after 3x retry, last error: KusciaTask.kuscia.secretflow "Bad_Task" is invalid: metadata.name/);
    expect(failed.status?.completionTime).toBeTruthy();
  });

  it('force-fails a job whose party namespace does not exist', async () => {
    const job = await createJob({ tasks: [task('a', { parties: [{ domainID: 'alice' }, { domainID: 'carol' }] })] });
    const failed = await waitForJob(job.metadata.name!, (j) => expect(j.status?.phase).toBe('Failed'));
    expect(failed.status?.message).toBe('KusciaJob failed after 3x retry, last error: namespace "carol" not found');
  });

  it('a job with a partner over Kuscia interconnection awaits approval', async () => {
    await env.clients.namespaces.create({ metadata: { name: 'partner-p', labels: { [Labels.DomainRole]: 'partner' } } });
    const job = await createJob({ tasks: [task('a', { parties: [{ domainID: 'alice' }, { domainID: 'partner-p' }] })] });
    const waiting = await waitForJob(job.metadata.name!, (j) => expect(j.status?.phase).toBe('AwaitingApproval'));
    expect(waiting.metadata.annotations).toMatchObject({
      [Annotations.InterConnKusciaParties]: 'partner-p',
      [Annotations.InterConnSelfParties]: 'alice',
    });
    expect(waiting.status?.stageStatus).toEqual({ alice: 'JobCreateStageSucceeded' });
    expect(waiting.status?.approveStatus).toEqual({ alice: 'JobAccepted' });
    // The partner accepts (its control plane would report it): the job goes on.
    await updateStatusWithRetry(env.clients.kusciaJobs, NS, job.metadata.name!, (j) => {
      j.status!.approveStatus = { ...j.status!.approveStatus, 'partner-p': 'JobAccepted' };
      j.status!.stageStatus = { ...j.status!.stageStatus, 'partner-p': 'JobCreateStageSucceeded' };
    });
    await waitForJob(job.metadata.name!, (j) => expect(j.status?.phase).toBe('Running'));
  });

  it('ignores KusciaJobs outside cross-domain', async () => {
    const job = await createJob({ tasks: [task('a')] }, 'alice');
    await staysFor(300, async () => expect((await env.clients.kusciaJobs.get('alice', job.metadata.name!)).status).toBeUndefined());
  });
});

describe('KusciaJob controller restarts', () => {
  it('a new controller process mid-Running reuses the tasks and creates no duplicates', async () => {
    let stop = await startJobController();
    const job = await createJob({ tasks: [withoutTaskID(task('a')), task('b', { dependencies: ['a'] })] });
    const name = job.metadata.name!;
    await eventually(async () => expect(await taskNamesOf(job)).toHaveLength(1));
    const [first] = await tasksOf(job);
    await stop();

    stop = await startJobController();
    try {
      await staysFor(400, async () => {
        const tasks = await tasksOf(job);
        expect(tasks.map((t) => t.metadata.uid)).toEqual([first!.metadata.uid]);
      });
      expect((await getJob(name)).spec.tasks[0]!.taskID).toBe(first!.metadata.name);
      await setTaskPhase(first!.metadata.name!, 'Succeeded');
      await eventually(async () => expect(await taskNamesOf(job)).toHaveLength(2));
      const b = (await getJob(name)).spec.tasks[1]!.taskID!;
      await setTaskPhase(b, 'Succeeded');
      await waitForJob(name, (j) => expect(j.status?.phase).toBe('Succeeded'));
      expect(await tasksOf(job)).toHaveLength(2);
    } finally {
      await stop();
    }
  });
});

describe('KusciaJob GC', () => {
  it('deletes a finished job (and its tasks) after the retention, and keeps unfinished ones', async () => {
    const ctx = env.context();
    const stop = await env.startControllers(ctx, [newKusciaJobController(ctx), newKusciaJobGCController(ctx, { retentionMs: 1500 })]);
    try {
      const a = task('a');
      const finished = await createJob({ tasks: [a] });
      const unfinished = await createJob({ tasks: [task('a')] });
      await eventually(async () => expect(await taskNamesOf(finished)).toEqual([a.taskID]));
      await setTaskPhase(a.taskID!, 'Succeeded');
      const done = await waitForJob(finished.metadata.name!, (j) => expect(j.status?.completionTime).toBeTruthy());
      const completedAt = Date.parse(done.status!.completionTime!);
      // Due at completedAt + 1500 (completionTime has seconds precision, so the real completion was
      // no earlier): still there shortly before.
      await new Promise((r) => setTimeout(r, Math.max(0, completedAt + 1200 - Date.now())));
      expect((await getJob(finished.metadata.name!)).status?.phase).toBe('Succeeded');

      await eventually(async () => {
        await expect(getJob(finished.metadata.name!)).rejects.toMatchObject({ code: 404 });
      }, 10_000);
      expect(Date.now()).toBeGreaterThanOrEqual(completedAt + 1500);
      // Background propagation: the garbage collector removes the job's tasks.
      await eventually(async () => expect(await taskNamesOf(finished)).toEqual([]), 10_000);
      expect((await getJob(unfinished.metadata.name!)).status?.phase).toBe('Running');
    } finally {
      await stop();
    }
  });
});
