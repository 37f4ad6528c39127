/**
 * KusciaJobs on a real center network, as the quickstart runs them: a master and the lites alice
 * and bob, each a `kuscia start` process (the master's API server, controllers and scheduler are
 * its child processes; each lite runs its agent in-process and its pods as RunP processes of the
 * fake engine). This process is the user: it creates the jobs and watches them.
 *
 *   npm run bench:e2e -- [--jobs-latency 50] [--concurrent 200] [--create-concurrency 16]
 *       [--warmup 1] [--timeout 600] [--sample-ms 500]
 *
 * Every job has one task (the fake-engine AppImage, taskInputConfig '{}': the engine checks its
 * env contract and exits 0) with parties alice and bob, so one pod on each lite.
 *
 * Phase 1, latency: `--jobs-latency` jobs one after another. Latency = from sending the create
 * request to the moment the KusciaJob watch delivers status.phase Succeeded. p50 / p90 / p99 / max,
 * and the median time to each stage (pods created, bound, Running, Succeeded; task Succeeded) seen
 * through watches on pods and KusciaTasks.
 * Phase 2, throughput: `--concurrent` jobs created at once (at most `--create-concurrency` create
 * requests in flight); jobs/s = Succeeded jobs / (first create sent → last job terminal on the
 * watch). Failed jobs must be 0; each is described. RSS sampled every `--sample-ms` during phase 2,
 * peak and end: the master's process tree (kuscia start + apiserver + controllers + scheduler,
 * also each alone), each lite's `kuscia start` process (its agent included), and separately the
 * task processes the lite started (RunP's fake-engine processes: most alive at once, summed RSS).
 *
 * The lites' capacity (pods, cpu, memory) and the Domains' podMaxCount are set so every pod of the
 * run fits at once: the figures measure Kuscia, not queueing for capacity. Jobs are created through
 * the API (the project's client over HTTPS), not `kubectl apply`, whose process start would
 * dominate. All state is in a temp directory removed at the end, also on failure or Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { makeKusciaClients } from '../../pkg/controllers/common/clients.ts';
import { KubeApi } from '../../pkg/kube/api-client.ts';
import { describeError } from '../../pkg/kube/api-errors.ts';
import { loadKubeConfig } from '../../pkg/kube/client.ts';
import { startCenterNetwork, type CenterNetwork } from '../../test/support/center-network.ts';
import { formatFigureLine, formatTable, int, ms, percentile, sortedCopy, type Figure } from '../apiserver/stats.ts';
import { describeJob } from '../jobs/diagnose.ts';
import { startJobTracker } from '../jobs/job-tracker.ts';
import { formatBreakdown, type JobRun } from './breakdown.ts';
import { oneTaskFakeJob, oneTaskFakeJobTaskID } from './fake-job.ts';
import { sampleNodeMemory, type Series, type TreeMemory } from './node-memory.ts';
import { measurePhaseCpu } from './phase-cpu.ts';
import { startTaskTimeline } from './task-timeline.ts';
import { intFlag } from '../common/int-flag.ts';

const { values } = parseArgs({
  options: {
    'jobs-latency': { type: 'string', default: '50' },
    concurrent: { type: 'string', default: '200' },
    'create-concurrency': { type: 'string', default: '16' },
    warmup: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '600' },
    'sample-ms': { type: 'string', default: '500' },
  },
});
const num = (name: string, min: number) => intFlag(values, name, min);
const latencyJobs = num('jobs-latency', 0);
const concurrentJobs = num('concurrent', 0);
const createConcurrency = num('create-concurrency', 1);
const warmupJobs = num('warmup', 0);
const timeoutMs = num('timeout', 1) * 1000;
const sampleMs = num('sample-ms', 50);

const PARTIES = ['alice', 'bob'] as const;
/** A job one after another must finish within this, or phase 1 stops and says why. */
const LATENCY_JOB_TIMEOUT_MS = 60_000;
const MB = 1e6;
const MiB = 2 ** 20;
const mb = (mib: number) => `${((mib * MiB) / MB).toFixed(0)} MB`;
const sleep = (msec: number) => new Promise<undefined>((r) => setTimeout(() => r(undefined), msec));
const log = pino({ level: process.env['BENCH_LOG_LEVEL'] ?? 'silent' });

// Every pod of the run fits on each lite at once (the fake engine asks 10m / 32Mi per pod).
const podsPerLite = warmupJobs + latencyJobs + concurrentJobs + 10;
const liteCapacity = { pods: Math.max(500, podsPerLite), cpu: String(Math.ceil(podsPerLite / 100) + 2), memory: `${Math.ceil(podsPerLite / 32) + 2}Gi` };

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}`,
);
console.log(
  `config: jobs-latency=${latencyJobs} concurrent=${concurrentJobs} create-concurrency=${createConcurrency} warmup=${warmupJobs} timeout=${timeoutMs / 1000}s sample-ms=${sampleMs}; ` +
    `jobs of one task (fake-engine, taskInputConfig '{}') with parties ${PARTIES.join(', ')}; lite capacity pods=${liteCapacity.pods} cpu=${liteCapacity.cpu} memory=${liteCapacity.memory}, ` +
    `Domain podMaxCount=${liteCapacity.pods}; processes: kuscia start master (apiserver, controllers, scheduler as children), kuscia start lite per party (agent, RunP); jobs created and watched from this process`,
);

// Cleanup on every way out: the network stopped (gracefully when there is time), the temp dir removed.
const work = mkdtempSync(join(tmpdir(), 'kuscia-bench-e2e-'));
let network: CenterNetwork | undefined;
let stopping: Promise<void> | undefined;
const stopNetwork = () => (stopping ??= Promise.race([network?.stop() ?? Promise.resolve(), sleep(20_000)]).then(() => undefined));
process.on('exit', () => {
  // A last resort when the graceful stop did not run or finish: the master's children end with it (their stdin pipe closes).
  if (network) for (const child of [network.master().child, ...PARTIES.map((d) => network!.lite(d)?.child)]) if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the network`);
    void stopNetwork().finally(() => process.exit(130));
  });
}

try {
  await main();
  await stopNetwork();
  process.exit(0);
} catch (err) {
  console.error(`bench:e2e failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  await stopNetwork();
  process.exit(1);
}

async function main(): Promise<void> {
  const setupStart = performance.now();
  network = await startCenterNetwork({ work, lites: [...PARTIES], podMaxCount: liteCapacity.pods, liteConfig: { capacity: liteCapacity } });
  const master = network.master();
  console.log(
    `  (network up in ${ms(performance.now() - setupStart)}: master pid ${master.child.pid}, ${PARTIES.map((d) => `${d} pid ${network!.lite(d).child.pid}`).join(', ')}; KUSCIA_HOME ${network.home})`,
  );

  const kubeConfig = loadKubeConfig(network.kubeconfig);
  const api = new KubeApi(kubeConfig, { maxSockets: createConcurrency + 4 });
  const clients = makeKusciaClients(api);
  const tracker = await startJobTracker(kubeConfig, log);
  const nodes = [{ name: 'master', pid: master.child.pid! }, ...PARTIES.map((d) => ({ name: d, pid: network!.lite(d).child.pid! }))];
  const timeline = await startTaskTimeline(kubeConfig, log);
  const figures: Figure[] = [];
  const report = (f: Figure) => {
    figures.push(f);
    console.log(formatFigureLine(f));
  };

  const runs = new Map<string, JobRun>();
  const createErrors: string[] = [];
  /** Sends the create; false (and the error recorded) when the API server refused it. */
  const create = async (name: string): Promise<boolean> => {
    const sentAt = performance.now();
    try {
      await clients.kusciaJobs.create(oneTaskFakeJob(name, PARTIES));
    } catch (err) {
      createErrors.push(`${name}: ${describeError(err)}`);
      return false;
    }
    runs.set(name, { sentAt, returnedAt: performance.now(), task: { pods: {}, podCount: 0 } });
    return true;
  };
  /** Fills in the watch times of a job that ended (or not) for the breakdown. */
  const settle = (name: string): JobRun | undefined => {
    const run = runs.get(name);
    if (!run) return undefined;
    const outcome = tracker.outcome(name);
    if (outcome?.phase === 'Succeeded') run.succeededAt = outcome.at;
    run.task = timeline.times(oneTaskFakeJobTaskID(name));
    return run;
  };
  const describeUnsucceeded = async (names: string[]) => {
    for (const name of names.slice(0, 10)) {
      const job = tracker.get(name);
      console.log(job ? await describeJob(clients, job) : `job ${name}: never seen on the watch`);
    }
    if (names.length > 10) console.log(`  (${names.length - 10} more not shown)`);
  };

  // Warm-up: proves the pipeline works end to end (and warms the JITs); not counted.
  for (let i = 0; i < warmupJobs; i++) {
    const name = `warmup-${i}`;
    if (!(await create(name))) throw new Error(`warm-up job not created: ${createErrors.at(-1)}`);
    const outcome = await Promise.race([tracker.whenDone(name), sleep(120_000)]);
    if (outcome?.phase !== 'Succeeded') {
      await describeUnsucceeded([name]);
      throw new Error(`warm-up job ${name} did not succeed within 120 s (${outcome ? outcome.phase : 'not finished'})`);
    }
    console.log(`  (warm-up job ${name} Succeeded in ${ms(outcome.at - runs.get(name)!.sentAt)})`);
  }

  // --- phase 1: latency, one job at a time ---
  if (latencyJobs > 0) {
    console.log(`\nphase 1: ${latencyJobs} jobs one after another`);
    const names: string[] = [];
    const cpu = measurePhaseCpu(nodes);
    const startedAt = performance.now();
    for (let i = 0; i < latencyJobs; i++) {
      const name = `latency-${String(i).padStart(4, '0')}`;
      names.push(name);
      if (!(await create(name))) continue;
      const outcome = await Promise.race([tracker.whenDone(name), sleep(LATENCY_JOB_TIMEOUT_MS)]);
      if (outcome?.phase !== 'Succeeded') {
        await describeUnsucceeded([name]);
        console.log(`  job ${name} did not succeed (${outcome ? `${outcome.phase}: ${outcome.message}` : `not finished in ${LATENCY_JOB_TIMEOUT_MS / 1000} s`}); phase 1 stops here`);
        break;
      }
    }
    // The pod and task watches may deliver their last events just after the job's.
    await sleep(200);
    const done = names.map(settle).filter((r): r is JobRun => r?.succeededAt !== undefined);
    const lat = sortedCopy(done.map((r) => r.succeededAt! - r.sentAt));
    report({
      name: `apply -> Succeeded p50 (create sent -> Succeeded on the watch; ${done.length} of ${latencyJobs} jobs, one at a time)`,
      value: ms(percentile(lat, 50)),
      target: '<= 1000 ms',
      met: percentile(lat, 50) <= 1000,
    });
    report({ name: 'apply -> Succeeded p90', value: ms(percentile(lat, 90)), target: '' });
    report({ name: 'apply -> Succeeded p99 (Kubernetes pod-startup SLO: p99 <= 5 s)', value: ms(percentile(lat, 99)), target: '<= 5000 ms', met: percentile(lat, 99) <= 5000 });
    report({ name: 'apply -> Succeeded max', value: ms(percentile(lat, 100)), target: '' });
    report({ name: 'jobs not Succeeded in phase 1', value: String(latencyJobs - done.length), target: '0', met: done.length === latencyJobs });
    console.log(`  median from create sent: ${formatBreakdown(done)}`);
    console.log(`  CPU in phase 1: ${cpu.finish(performance.now() - startedAt)}`);
  }

  // --- phase 2: throughput, all jobs at once ---
  if (concurrentJobs > 0) {
    console.log(`\nphase 2: ${concurrentJobs} jobs at once (${createConcurrency} create requests in flight)`);
    const sampler = sampleNodeMemory(nodes, sampleMs);
    const cpu = measurePhaseCpu(nodes);
    const baseline = new Map([...sampler.current()].map(([name, m]) => [name, m.tree.lastMiB]));
    const names = Array.from({ length: concurrentJobs }, (_, i) => `concurrent-${String(i).padStart(4, '0')}`);
    const startedAt = performance.now();
    const deadline = startedAt + timeoutMs;
    let next = 0;
    const progress = setInterval(() => {
      const memory = [...sampler.current()].map(([name, m]) => `${name} ${mb(m.tree.lastMiB)}${m.lastDescendantCount ? ` (${m.lastDescendantCount} processes)` : ''}`);
      console.log(`  ${((performance.now() - startedAt) / 1000).toFixed(0)} s: created ${int(Math.min(next, concurrentJobs))}, terminal ${int(names.filter((n) => tracker.outcome(n)).length)} / ${int(concurrentJobs)}; RSS ${memory.join(', ')}`);
    }, 10_000);
    const creator = async () => {
      for (let i = next++; i < concurrentJobs; i = next++) await create(names[i]!);
    };
    await Promise.all(Array.from({ length: Math.min(createConcurrency, concurrentJobs) }, creator));
    const createdAllAt = performance.now();
    await Promise.race([Promise.all(names.filter((n) => runs.has(n)).map((n) => tracker.whenDone(n))), sleep(Math.max(0, deadline - performance.now()))]);
    clearInterval(progress);
    const memory = sampler.stop();
    await sleep(200);

    let lastDone = startedAt;
    const failed: string[] = [];
    const unfinished: string[] = [];
    const done: JobRun[] = [];
    for (const name of names) {
      const outcome = tracker.outcome(name);
      const run = settle(name);
      if (!run) continue;
      if (!outcome) unfinished.push(name);
      else {
        lastDone = Math.max(lastDone, outcome.at);
        if (outcome.phase === 'Succeeded') done.push(run);
        else failed.push(name);
      }
    }
    const elapsedMs = lastDone - startedAt;
    const notCreated = concurrentJobs - names.filter((n) => runs.has(n)).length;
    report({
      name: `jobs/s (${int(done.length)} of ${int(concurrentJobs)} created at once Succeeded; first create sent -> last job terminal on the watch, ${ms(elapsedMs)}; all created after ${ms(createdAllAt - startedAt)})`,
      value: `${(done.length / (elapsedMs / 1000)).toFixed(1)}/s`,
      target: '',
    });
    const lat = sortedCopy(done.map((r) => r.succeededAt! - r.sentAt));
    report({ name: 'job latency under that load p50 / p99 (create sent -> Succeeded)', value: `${ms(percentile(lat, 50))} / ${ms(percentile(lat, 99))}`, target: '' });
    report({
      name: 'jobs failed / unfinished / not created in phase 2',
      value: `${failed.length} / ${unfinished.length} / ${notCreated}`,
      target: '0',
      met: failed.length + unfinished.length + notCreated === 0,
    });
    console.log(`  median from create sent: ${formatBreakdown(done)}`);
    console.log(`  CPU in phase 2: ${cpu.finish(elapsedMs)}`);
    reportMemory(memory, baseline, report);
    if (failed.length + unfinished.length) await describeUnsucceeded([...failed, ...unfinished]);
  }

  for (const e of createErrors.slice(0, 10)) console.log(`  create error: ${e}`);
  if (createErrors.length > 10) console.log(`  (${createErrors.length - 10} more create errors)`);
  console.log(`\nsummary (jobs-latency=${latencyJobs}, concurrent=${concurrentJobs}):\n${formatTable(figures)}`);

  await tracker.stop();
  await timeline.stop();
  api.close();
}

function reportMemory(memory: Map<string, TreeMemory>, baseline: Map<string, number>, report: (f: Figure) => void): void {
  const peakEnd = (s: Series) => `${mb(s.peakMiB)} / ${mb(s.lastMiB)}`;
  const sampled = `sampled every ${sampleMs} ms in phase 2`;
  const m = memory.get('master')!;
  report({
    name: `master RSS peak / end, process tree (kuscia start + apiserver + controllers + scheduler; ${sampled}; ${mb(baseline.get('master') ?? 0)} before)`,
    value: peakEnd(m.tree),
    target: '',
  });
  const parts = [['kuscia start', peakEnd(m.root)], ...[...m.byLabel].map(([label, s]) => [label.replace(/^kuscia /, ''), peakEnd(s)])];
  console.log(`  master by process, peak / end: ${parts.map(([label, v]) => `${label} ${v}`).join(', ')}`);
  for (const domain of PARTIES) {
    const lite = memory.get(domain)!;
    report({ name: `lite ${domain} RSS peak / end, kuscia start with its agent (task processes not included)`, value: peakEnd(lite.root), target: '' });
    report({
      name: `lite ${domain} task processes (RunP fake engines): most alive at once, summed RSS peak / end`,
      value: `${lite.peakDescendantCount}, ${peakEnd(lite.descendants)}`,
      target: '',
    });
  }
}
