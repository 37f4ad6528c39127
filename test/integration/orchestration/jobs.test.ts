/**
 * The orchestration core end to end on the embedded API server: the real controller manager (Domain,
 * KusciaJob, KusciaTask, TaskResourceGroup controllers) and the kuscia-scheduler, with the test agent
 * playing the nodes. Jobs are created as users create them; only the agent's pod outcomes are scripted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControllerManager, type RunningControllerManager } from '../../../pkg/controllers/manager/manager.ts';
import { controllerRegistrations, schedulerRegistrations } from '../../../pkg/controllers/registry.ts';
import { Annotations, CROSS_DOMAIN_NAMESPACE, Labels, type KusciaJob, type KusciaJobSpec, type KusciaTaskTemplate } from '../../../pkg/crd/index.ts';
import type { Pod } from '../../../pkg/kube/wire.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';
import { applyExampleDomainsAndAppImage, createDomains, tasksOfJob, waitForJobPhase } from '../../support/orchestration.ts';
import { PodRecorder } from '../../support/pod-recorder.ts';

// The test agent's nodes renew no Lease: keep the node lifecycle controller from failing their pods.
const TEST_AGENT_NO_LEASE_GRACE_MS = 3_600_000;
import { startTestAgent, type PodBehaviour, type PodOutcome, type TestAgent } from '../../support/test-agent.ts';

let env: ControllerTestEnv;
let manager: RunningControllerManager;
let agent: TestAgent;
let recorder: PodRecorder;
/** What the agent does with the pods of a task (by taskID); default: succeed after 50 ms. */
const outcomes = new Map<string, PodOutcome | PodBehaviour>();

beforeAll(async () => {
  env = await startControllerTestEnv();
  manager = await startControllerManager({ kubeConfig: env.kubeConfig, log: env.log, controllers: [...controllerRegistrations({ nodeMonitorGracePeriodMs: TEST_AGENT_NO_LEASE_GRACE_MS }), ...schedulerRegistrations()] });
  await applyExampleDomainsAndAppImage(env.clients);
  // eve and frank have no nodes at first: their parties cannot be placed; gina's only node is too small.
  await createDomains(env.clients, 'eve', 'frank', 'gina');
  const ctx = env.context();
  recorder = new PodRecorder(ctx.informers);
  await env.startControllers(ctx, []);
  agent = await startTestAgent({
    clients: env.clients,
    log: env.log,
    nodes: [
      { name: 'alice-1', domain: 'alice', cpu: '8', memory: '16Gi', pods: 110 },
      { name: 'bob-1', domain: 'bob', cpu: '8', memory: '16Gi', pods: 110 },
      { name: 'gina-1', domain: 'gina', cpu: '50m', memory: '16Gi', pods: 110 },
    ],
    behaviour: (pod: Pod) => outcomes.get(pod.metadata?.annotations?.[Annotations.TaskID] ?? '') ?? { outcome: 'succeed', runMs: 50 },
  });
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await manager?.stop();
  await env?.stop();
});

function task(jobName: string, alias: string, extra: Partial<KusciaTaskTemplate> = {}, parties = ['alice', 'bob']): KusciaTaskTemplate {
  return {
    alias,
    taskID: `${jobName}-${alias}`,
    appImage: 'secretflow-image',
    taskInputConfig: `{"alias":"${alias}"}`,
    parties: parties.map((domainID) => ({ domainID })),
    ...extra,
  };
}

async function createJob(name: string, spec: Partial<KusciaJobSpec> & { tasks: KusciaTaskTemplate[] }): Promise<KusciaJob> {
  return env.clients.kusciaJobs.create({
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'KusciaJob',
    metadata: { name, namespace: CROSS_DOMAIN_NAMESPACE },
    spec: { initiator: 'alice', ...spec },
  } as KusciaJob);
}

const stage = (name: string, command: string, version: string) =>
  env.clients.kusciaJobs.patch(CROSS_DOMAIN_NAMESPACE, name, {
    metadata: { labels: { [Labels.JobStage]: command, [Labels.JobStageTrigger]: 'alice', [Labels.JobStageVersion]: version } },
  });

const taskNames = async (job: KusciaJob) => (await tasksOfJob(env.clients, job)).map((t) => t.metadata.name).sort();

describe('KusciaJob end to end with the scheduler and the test agent', () => {
  it('runs a linear two-party DAG: b starts after a succeeded, every pod ran in both domains, the job Succeeded', async () => {
    const job = await createJob('linear', { tasks: [task('linear', 'a'), task('linear', 'b', { dependencies: ['a'] })] });
    const done = await waitForJobPhase(env.clients, 'linear', ['Succeeded']);
    expect(done.status?.taskStatus).toEqual({ 'linear-a': 'Succeeded', 'linear-b': 'Succeeded' });
    expect(done.status?.completionTime).toBeTruthy();
    const [a, b] = await Promise.all(['linear-a', 'linear-b'].map((n) => env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, n)));
    expect(Date.parse(b!.metadata.creationTimestamp!)).toBeGreaterThanOrEqual(Date.parse(a!.status!.completionTime!) - 1000);
    for (const t of ['linear-a', 'linear-b']) {
      const pods = recorder.podsOf(t);
      expect(pods.map((p) => p.namespace).sort()).toEqual(['alice', 'bob']);
      expect(pods.every((p) => p.nodeName && p.phases.includes('Succeeded'))).toBe(true);
    }
    expect(job.metadata.uid).toBe(done.metadata.uid);
  });

  it('Strict: fails at the first critical failure without starting lower-priority tasks', async () => {
    outcomes.set('strict-a', { outcome: 'fail', runMs: 50, message: 'psi failed: bad input' });
    await createJob('strict', {
      scheduleMode: 'Strict',
      maxParallelism: 1,
      tasks: [task('strict', 'a', { priority: 3 }), task('strict', 'b', { priority: 2 }), task('strict', 'c', { priority: 1 })],
    });
    const failed = await waitForJobPhase(env.clients, 'strict', ['Failed']);
    expect(failed.status?.taskStatus).toEqual({ 'strict-a': 'Failed' });
    expect(await taskNames(failed)).toEqual(['strict-a']);
    const a = await env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, 'strict-a');
    expect(JSON.stringify(a.status?.podStatuses)).toContain('psi failed: bad input');
  });

  it('BestEffort: runs the independent tasks after a failure, then fails', async () => {
    outcomes.set('besteffort-a', { outcome: 'fail', runMs: 50 });
    await createJob('besteffort', {
      scheduleMode: 'BestEffort',
      maxParallelism: 1,
      tasks: [task('besteffort', 'a', { priority: 3 }), task('besteffort', 'b', { priority: 2 }), task('besteffort', 'c', { priority: 1 })],
    });
    const failed = await waitForJobPhase(env.clients, 'besteffort', ['Failed']);
    expect(failed.status?.taskStatus).toEqual({ 'besteffort-a': 'Failed', 'besteffort-b': 'Succeeded', 'besteffort-c': 'Succeeded' });
  });

  it('a failed tolerable task keeps the job Succeeded', async () => {
    outcomes.set('tolerable-a', { outcome: 'fail', runMs: 50 });
    await createJob('tolerable', { maxParallelism: 2, tasks: [task('tolerable', 'a', { tolerable: true }), task('tolerable', 'b')] });
    const done = await waitForJobPhase(env.clients, 'tolerable', ['Succeeded']);
    expect(done.status?.taskStatus).toEqual({ 'tolerable-a': 'Failed', 'tolerable-b': 'Succeeded' });
  });

  it('a cyclic job fails validation with reason ValidateFailed and creates nothing', async () => {
    const job = await createJob('cyclic', {
      tasks: [task('cyclic', 'a', { dependencies: ['c'] }), task('cyclic', 'b', { dependencies: ['a'] }), task('cyclic', 'c', { dependencies: ['b'] })],
    });
    const failed = await waitForJobPhase(env.clients, 'cyclic', ['Failed']);
    expect(failed.status?.reason).toBe('ValidateFailed');
    expect(failed.status?.conditions?.find((c) => c.type === 'JobValidated')).toMatchObject({ status: 'False' });
    expect(await taskNames(job)).toEqual([]);
  });

  it('stop and cancel through the job-stage label stop the running task and remove its pods', async () => {
    outcomes.set('stopme-a', 'run');
    outcomes.set('cancelme-a', 'run');
    await createJob('stopme', { tasks: [task('stopme', 'a')] });
    await createJob('cancelme', { tasks: [task('cancelme', 'a')] });
    await eventually(() => expect(recorder.podsOf('stopme-a').filter((p) => p.phases.includes('Running'))).toHaveLength(2), 20_000);
    await eventually(() => expect(recorder.podsOf('cancelme-a').filter((p) => p.phases.includes('Running'))).toHaveLength(2), 20_000);

    await stage('stopme', 'Stop', '1');
    const stopped = await waitForJobPhase(env.clients, 'stopme', ['Failed']);
    expect(stopped.status?.message).toBe('Party: alice execute the cmd: Stop.');
    await stage('cancelme', 'Cancel', '1');
    await waitForJobPhase(env.clients, 'cancelme', ['Cancelled']);
    for (const t of ['stopme-a', 'cancelme-a']) {
      expect((await env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, t)).status?.phase).toBe('Failed');
      await eventually(async () => {
        for (const ns of ['alice', 'bob']) {
          const live = await env.clients.pods.list(ns, { labelSelector: `${Labels.TaskUID}` });
          expect(live.items.filter((p) => p.metadata?.annotations?.[Annotations.TaskID] === t)).toEqual([]);
        }
      }, 15_000);
    }
  });

  it('suspend then restart re-runs only the unfinished task', async () => {
    outcomes.set('pause-b', 'run');
    await createJob('pause', { tasks: [task('pause', 'a'), task('pause', 'b', { dependencies: ['a'] })] });
    await eventually(() => expect(recorder.podsOf('pause-b').filter((p) => p.phases.includes('Running'))).toHaveLength(2), 20_000);
    const aBefore = await env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, 'pause-a');
    const bBefore = await env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, 'pause-b');

    await stage('pause', 'Suspend', '1');
    await waitForJobPhase(env.clients, 'pause', ['Suspended']);
    outcomes.set('pause-b', { outcome: 'succeed', runMs: 50 });
    await stage('pause', 'Restart', '2');
    const done = await waitForJobPhase(env.clients, 'pause', ['Succeeded']);
    expect(done.status?.taskStatus).toEqual({ 'pause-a': 'Succeeded', 'pause-b': 'Succeeded' });
    const aAfter = await env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, 'pause-a');
    const bAfter = await env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, 'pause-b');
    expect(aAfter.metadata.uid).toBe(aBefore.metadata.uid);
    expect(bAfter.metadata.uid).not.toBe(bBefore.metadata.uid);
    // a's pods ran once; b's ran twice (before the suspend and after the restart).
    expect(recorder.podsOf('pause-a')).toHaveLength(2);
    expect(recorder.podsOf('pause-b')).toHaveLength(4);
  });

  it('a two-party task whose second party cannot be placed never binds the first and fails after lifecycleSeconds', async () => {
    await createJob('nofit', {
      tasks: [task('nofit', 'a', { scheduleConfig: { lifecycleSeconds: 4, resourceReservedSeconds: 2, retryIntervalSeconds: 1 } }, ['alice', 'eve'])],
    });
    const failed = await waitForJobPhase(env.clients, 'nofit', ['Failed'], 20_000);
    const t = await env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, 'nofit-a');
    expect(t.status?.phase).toBe('Failed');
    expect(t.status?.message).toContain('4 seconds');
    expect(recorder.podsOf('nofit-a').length).toBeGreaterThan(0);
    expect(recorder.podsOf('nofit-a').filter((p) => p.nodeName)).toEqual([]);
    expect(failed.status?.taskStatus).toEqual({ 'nofit-a': 'Failed' });
  });

  it('a party whose nodes are all too small: nothing is created or bound, the task fails after lifecycleSeconds naming the shortfall', async () => {
    await createJob('toosmall', {
      tasks: [task('toosmall', 'a', { scheduleConfig: { lifecycleSeconds: 3, resourceReservedSeconds: 2, retryIntervalSeconds: 1 } }, ['alice', 'gina'])],
    });
    await eventually(async () => {
      const t = await env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, 'toosmall-a');
      expect(t.status?.conditions?.find((c) => c.type === 'ResourceCreated')).toMatchObject({ status: 'False', reason: 'KusciaTaskCreateFailed' });
    }, 10_000);
    await waitForJobPhase(env.clients, 'toosmall', ['Failed'], 20_000);
    const t = await env.clients.kusciaTasks.get(CROSS_DOMAIN_NAMESPACE, 'toosmall-a');
    expect(t.status?.phase).toBe('Failed');
    expect(JSON.stringify(t.status)).toContain('insufficient cpu in domain gina');
    expect(recorder.podsOf('toosmall-a')).toEqual([]);
  });

  it('the same task runs when the missing capacity appears within its lifecycle', async () => {
    await createJob('latefit', {
      tasks: [task('latefit', 'a', { scheduleConfig: { lifecycleSeconds: 30, resourceReservedSeconds: 3, retryIntervalSeconds: 1 } }, ['alice', 'frank'])],
    });
    await eventually(() => expect(recorder.podsOf('latefit-a')).toHaveLength(2), 15_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(recorder.podsOf('latefit-a').filter((p) => p.nodeName)).toEqual([]);
    await agent.addNode({ name: 'frank-1', domain: 'frank', cpu: '4', memory: '8Gi', pods: 110 });
    const done = await waitForJobPhase(env.clients, 'latefit', ['Succeeded'], 30_000);
    expect(done.status?.taskStatus).toEqual({ 'latefit-a': 'Succeeded' });
    expect(recorder.duplicateNames('latefit-a')).toEqual([]);
  });
});
