import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../support/apiserver-process.ts';
import { startCenterNetwork, type CenterNetwork } from '../support/center-network.ts';
import { kubectlStream } from '../support/kubectl.ts';
import { repoRoot } from '../support/kuscia-process.ts';

/**
 * The first real end-to-end path: a master and the lites alice and bob as `kuscia start`
 * processes, KusciaJobs of the fake engine applied with the real kubectl and run as processes by
 * the lites' agents (RunP). Leases are short (8 s) so a killed lite is noticed within the test.
 */
const LEASE_SECONDS = 8;
let work: string;
let net: CenterNetwork;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kuscia-center-'));
  net = await startCenterNetwork({ work, lites: ['alice', 'bob'], leaseDurationSeconds: LEASE_SECONDS, nodeMonitorGracePeriodSeconds: LEASE_SECONDS });
}, 90_000);

afterAll(async () => {
  await net?.stop();
  if (work) await removeDir(work);
}, 60_000);

/** A KusciaJob of fake-engine tasks, as YAML a user would apply. */
function fakeJob(name: string, tasks: Array<{ alias: string; input: object; parties?: string[]; dependencies?: string[] }>): string {
  return JSON.stringify({
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'KusciaJob',
    metadata: { name, namespace: 'cross-domain' },
    spec: {
      initiator: 'alice',
      maxParallelism: 2,
      tasks: tasks.map((t) => ({
        alias: t.alias,
        taskID: `${name}-${t.alias}`,
        appImage: 'fake-engine',
        taskInputConfig: JSON.stringify(t.input),
        parties: (t.parties ?? ['alice', 'bob']).map((domainID) => ({ domainID })),
        ...(t.dependencies ? { dependencies: t.dependencies } : {}),
      })),
    },
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function jsonpath(args: string[], path: string): Promise<string> {
  const r = await net.kubectl([...args, '-o', `jsonpath=${path}`]);
  return r.code === 0 ? r.stdout.trim() : '';
}

const jobPhase = (name: string) => jsonpath(['get', 'kj', name, '-n', 'cross-domain'], '{.status.phase}');
const podPhase = (ns: string, pod: string) => jsonpath(['get', 'pod', pod, '-n', ns], '{.status.phase}');

async function waitJobPhase(name: string, phase: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(`job ${name} ${phase}`, async () => {
    const now = await jobPhase(name);
    if (now === phase) return true;
    if (now === 'Failed' && phase !== 'Failed') throw new Error(`job ${name} Failed: ${await net.ok(['get', 'kj', name, '-n', 'cross-domain', '-o', 'yaml'])}`);
    return undefined;
  }, timeoutMs);
}

/** Pids of the fake-engine processes of one task in one domain, found by their env contract. */
function taskProcesses(taskID: string, domain: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string[];
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (environ.includes(`TASK_ID=${taskID}`) && environ.includes(`KUSCIA_DOMAIN_ID=${domain}`)) pids.push(Number(entry));
  }
  return pids;
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('a center network of kuscia start processes (master, lites alice and bob)', () => {
  it('registers one Ready node per lite, with the agent taint and the RunP runtime', async () => {
    const nodes = JSON.parse(await net.ok(['get', 'nodes', '-o', 'json'])) as { items: Array<{ metadata: { name: string; labels: Record<string, string> }; spec: { taints?: Array<{ key: string }> }; status: { nodeInfo: { containerRuntimeVersion: string } } }> };
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(['kuscia-lite-alice', 'kuscia-lite-bob']);
    for (const node of nodes.items) {
      expect(node.spec.taints?.map((t) => t.key)).toContain('kuscia.secretflow/agent');
      expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(/^runp:\/\//);
    }
  });

  it('runs the example 3-task, 2-party DAG job to Succeeded', async () => {
    await net.ok(['apply', '-f', join(repoRoot, 'deploy/examples/kusciajob-fake.yaml')]);
    await waitJobPhase('job-fake', 'Succeeded');
    const tasks = JSON.parse(await net.ok(['get', 'kt', '-n', 'cross-domain', '-o', 'json'])) as { items: Array<{ metadata: { name: string }; status: { phase: string; partyTaskStatus: Array<{ domainID: string; phase: string }> } }> };
    const jobTasks = tasks.items.filter((t) => t.metadata.name.startsWith('job-fake-'));
    expect(jobTasks.map((t) => t.metadata.name).sort()).toEqual(['job-fake-prepare', 'job-fake-report', 'job-fake-train']);
    for (const task of jobTasks) {
      expect(task.status.phase).toBe('Succeeded');
      expect(task.status.partyTaskStatus.map((p) => `${p.domainID}:${p.phase}`).sort()).toEqual(['alice:Succeeded', 'bob:Succeeded']);
    }
    // Each party's pod was bound to its own domain's node and started there by the agent.
    const events = await net.ok(['get', 'events', '-n', 'bob', '--field-selector', 'involvedObject.name=job-fake-train-0', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
    expect(lines(events)).toEqual(expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started']));
  }, 60_000);

  it("surfaces a failing task's stderr in the termination message, the KusciaTask status and kubectl logs", async () => {
    await net.ok(['apply', '-f', '-'], fakeJob('job-boom', [{ alias: 'one', input: { exit: 3, message: 'boom: input table missing' }, parties: ['alice'] }]));
    await waitJobPhase('job-boom', 'Failed');
    const terminated = JSON.parse(await jsonpath(['get', 'pod', 'job-boom-one-0', '-n', 'alice'], '{.status.containerStatuses[0].state.terminated}')) as { exitCode: number; message: string; reason: string };
    expect(terminated).toMatchObject({ exitCode: 3, reason: 'Error', message: 'boom: input table missing' });
    const task = await net.ok(['get', 'kt', 'job-boom-one', '-n', 'cross-domain', '-o', 'json']);
    expect(task).toContain('boom: input table missing');
    const logs = await net.ok(['logs', '-n', 'alice', 'job-boom-one-0']);
    expect(logs).toContain('boom: input table missing');
  }, 60_000);

  it('follows a running pod with kubectl logs -f until its process ends', async () => {
    await net.ok(['apply', '-f', '-'], fakeJob('job-follow', [{ alias: 'one', input: { sleep: 3 }, parties: ['bob'] }]));
    await waitFor('pod running', async () => ((await podPhase('bob', 'job-follow-one-0')) === 'Running' ? true : undefined));
    const follow = kubectlStream(net.kubeconfig, join(work, 'kube-cache'), ['logs', '-f', '-n', 'bob', 'job-follow-one-0']);
    await follow.waitFor(/task job-follow-one in domain bob/);
    // Still running: the end of the task has not been written yet, and kubectl keeps streaming.
    expect(follow.output()).not.toMatch(/done, exit 0/);
    await follow.waitFor(/done, exit 0/, 15_000);
    expect(await follow.exited()).toBe(0);
    await waitJobPhase('job-follow', 'Succeeded');
  }, 60_000);

  it('kills the process of a pod deleted with kubectl within its grace period', async () => {
    await net.ok(['apply', '-f', '-'], fakeJob('job-delete', [{ alias: 'one', input: { sleep: 120 }, parties: ['bob'] }]));
    await waitFor('pod running', async () => ((await podPhase('bob', 'job-delete-one-0')) === 'Running' ? true : undefined));
    const pids = await waitFor('the task process', async () => {
      const found = taskProcesses('job-delete-one', 'bob');
      return found.length > 0 ? found : undefined;
    });
    const grace = Number(await jsonpath(['get', 'pod', 'job-delete-one-0', '-n', 'bob'], '{.spec.terminationGracePeriodSeconds}')) || 30;
    const started = Date.now();
    await net.ok(['delete', 'pod', '-n', 'bob', 'job-delete-one-0', '--wait=true']);
    await waitFor('the process to end', async () => (pids.every((p) => !alive(p)) ? true : undefined), grace * 1000);
    expect(Date.now() - started).toBeLessThan(grace * 1000);
    expect((await net.kubectl(['get', 'pod', '-n', 'bob', 'job-delete-one-0'])).stderr).toMatch(/NotFound/);
  }, 90_000);

  it('lets a job finish after the master is killed mid-job and started again, with no duplicate pods', async () => {
    await net.ok(['apply', '-f', '-'], fakeJob('job-restart', [
      { alias: 'first', input: { sleep: 4 } },
      { alias: 'second', input: { sleep: 0.2 }, dependencies: ['first'] },
    ]));
    await waitFor('first task running in both domains', async () =>
      (await podPhase('alice', 'job-restart-first-0')) === 'Running' && (await podPhase('bob', 'job-restart-first-0')) === 'Running' ? true : undefined,
    );
    // SIGKILL: the master gets no chance to stop its modules; they notice it is gone and stop.
    await net.stopMaster('SIGKILL');
    await net.startMaster();
    await waitJobPhase('job-restart', 'Succeeded', 60_000);
    for (const domain of ['alice', 'bob']) {
      for (const pod of ['job-restart-first-0', 'job-restart-second-0']) {
        const uids = await net.ok(['get', 'events', '-n', domain, '--field-selector', `involvedObject.name=${pod},reason=Scheduled`, '-o', 'jsonpath={range .items[*]}{.involvedObject.uid}{"\\n"}{end}']);
        expect(new Set(lines(uids)).size, `${domain}/${pod} was created once`).toBe(1);
        const started = await net.ok(['get', 'events', '-n', domain, '--field-selector', `involvedObject.name=${pod},reason=Started`, '-o', 'name']);
        expect(lines(started), `${domain}/${pod} was started once`).toHaveLength(1);
      }
    }
  }, 120_000);

  it('marks a killed lite NotReady and fails its running pods within the lease period', async () => {
    await net.ok(['apply', '-f', '-'], fakeJob('job-lost', [{ alias: 'one', input: { sleep: 120 } }]));
    await waitFor('pods running', async () =>
      (await podPhase('alice', 'job-lost-one-0')) === 'Running' && (await podPhase('bob', 'job-lost-one-0')) === 'Running' ? true : undefined,
    );
    const orphans = taskProcesses('job-lost-one', 'bob');
    await net.stopLite('bob', 'SIGKILL');
    const killedAt = Date.now();
    // The lease was last renewed at most a quarter lease before the kill; the node lifecycle
    // controller then needs the grace period (= the lease here) plus its monitor period.
    const bound = (LEASE_SECONDS + 7) * 1000;
    await waitFor('bob NotReady', async () => ((await jsonpath(['get', 'node', 'kuscia-lite-bob'], '{.status.conditions[?(@.type=="Ready")].status}')) === 'Unknown' ? true : undefined), bound);
    await waitFor('the pod Failed', async () => ((await podPhase('bob', 'job-lost-one-0')) === 'Failed' ? true : undefined), bound);
    expect(Date.now() - killedAt).toBeLessThan(bound);
    expect(await jsonpath(['get', 'pod', 'job-lost-one-0', '-n', 'bob'], '{.status.reason}')).toBe('NodeLost');
    await waitJobPhase('job-lost', 'Failed');

    // Started again, the lite is Ready and no process of the lost pod outlives the restart.
    await net.startLite('bob');
    await net.ok(['wait', '--for=condition=Ready', '--timeout=30s', 'node/kuscia-lite-bob']);
    await waitFor('orphans gone', async () => (orphans.every((p) => !alive(p)) ? true : undefined), 10_000);
  }, 120_000);
});
