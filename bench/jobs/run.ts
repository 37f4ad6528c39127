/**
 * KusciaJobs end to end, as a user runs Kuscia: `kuscia apiserver`, `kuscia controllers` and
 * `kuscia scheduler` each in its own process; this process plays the nodes (the test agent) and
 * the users (the load generator), and watches the jobs.
 *
 *   npm run bench:jobs -- [--jobs 1000] [--concurrency 16] [--storage sqlite|memory] [--run-ms 0]
 *       [--nodes-per-domain 3] [--warmup 1] [--timeout 600] [--sample-ms 500] [--heap-snapshot DIR]
 *
 * Domains alice and bob (no resourceQuota, so the quota is no limit), the secretflow-image AppImage
 * of deploy/examples, `--nodes-per-domain` nodes per domain with room for every pod. Each job has
 * one task with parties alice and bob (one pod each); at most `--concurrency` jobs are unfinished
 * at a time (a slot frees when the watch shows the job Succeeded or Failed). The agent reports a
 * bound pod Running at once and Succeeded `--run-ms` later.
 *
 * Figures: jobs/s (first create → last job terminal, as observed by the watch); per-job latency
 * p50/p99 (create request sent → Succeeded seen on the watch); failed or unfinished jobs [0], each
 * printed with its message; RSS of the controllers, scheduler and API server processes (VmRSS
 * sampled every `--sample-ms`: peak and final; VmHWM) and their CPU time per job. It never fails on
 * a missed target: it prints MISSED. Warm-up jobs (`--warmup`, run one after another before the
 * clock starts) prove the pipeline is up and are not counted.
 *
 * `--heap-snapshot DIR` runs the controllers with --heapsnapshot-signal=SIGUSR2 and their inspector
 * open: a memory report (RSS by mapping kind, V8 heap used/resident) after the warm-up, and after the
 * last job (after the figures, so it does not skew them) a report, a report after a full GC and a V8
 * heap snapshot written into DIR. bench/jobs/heap-summary.ts summarises a snapshot or compares two
 * (e.g. the ends of a --jobs 250 and a --jobs 1000 run). For native allocations,
 * BENCH_CONTROLLERS_WRAPPER="heaptrack -o /tmp/controllers" runs the controllers under heaptrack (their
 * RSS figures are then the wrapper's); BENCH_CONTROLLERS_ARGS="--no-leader-elect" adds arguments.
 */
import { readFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { parse } from 'yaml';
import { makeKusciaClients } from '../../pkg/controllers/common/clients.ts';
import { API_VERSION, CROSS_DOMAIN_NAMESPACE, type AppImage, type KusciaJob } from '../../pkg/crd/index.ts';
import { KubeApi } from '../../pkg/kube/api-client.ts';
import { describeError } from '../../pkg/kube/api-errors.ts';
import { loadKubeConfig } from '../../pkg/kube/client.ts';
import { installAllKusciaCrds } from '../../test/support/controller-env.ts';
import { startTestAgent, type TestAgent, type TestAgentNode } from '../../test/support/test-agent.ts';
import { startServerProcess, type ServerProcess } from '../apiserver/server-process.ts';
import { formatFigureLine, formatTable, int, ms, percentile, sortedCopy, type Figure } from '../apiserver/stats.ts';
import { describeJob } from './diagnose.ts';
import { startJobTracker, type JobTracker } from './job-tracker.ts';
import { startKusciaChild, type KusciaChild } from './kuscia-process.ts';
import { readProcMemory, sampleRss, type RssSample } from '../common/proc-stats.ts';
import { intFlag } from '../common/int-flag.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    storage: { type: 'string', default: 'sqlite' },
    'run-ms': { type: 'string', default: '0' },
    'nodes-per-domain': { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '600' },
    'sample-ms': { type: 'string', default: '500' },
    'heap-snapshot': { type: 'string' },
  },
});
const num = (name: string, min: number) => intFlag(values, name, min);
const storage = values.storage === 'memory' ? 'memory' : 'sqlite';
const jobCount = num('jobs', 1);
const concurrency = num('concurrency', 1);
const runMs = num('run-ms', 0);
const nodesPerDomain = num('nodes-per-domain', 1);
const warmupJobs = num('warmup', 0);
const timeoutMs = num('timeout', 1) * 1000;
const sampleMs = num('sample-ms', 50);

const DOMAINS = ['alice', 'bob'] as const;
const APPIMAGE_FILE = join(import.meta.dirname, '..', '..', 'deploy', 'examples', 'appimage-secretflow.yaml');
const MB = 1e6;
const MiB = 2 ** 20;
const mb = (mib: number) => `${((mib * MiB) / MB).toFixed(0)} MB`;
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));
const log = pino({ level: process.env['BENCH_LOG_LEVEL'] ?? 'silent' });

const figures: Figure[] = [];
const report = (f: Figure) => {
  figures.push(f);
  console.log(formatFigureLine(f));
};

// Room for every pod of the run on each domain's nodes at once (the AppImage asks 100m / 128Mi per
// pod), so capacity never limits the figure, whether or not finished pods are cleaned up.
const podsPerNode = Math.ceil((jobCount + warmupJobs) / nodesPerDomain) + 10;
const nodes: TestAgentNode[] = DOMAINS.flatMap((domain) =>
  Array.from({ length: nodesPerDomain }, (_, i) => ({
    name: `${domain}-node-${i}`,
    domain,
    cpu: String(Math.ceil(podsPerNode / 10) + 4),
    memory: `${Math.ceil(podsPerNode / 8) + 4}Gi`,
    pods: podsPerNode,
  })),
);

console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${process.platform}/${process.arch}`);
console.log(
  `config: storage=${storage} jobs=${int(jobCount)} concurrency=${concurrency} (unfinished jobs at a time) run-ms=${runMs} ` +
    `nodes=${nodesPerDomain} per domain (${DOMAINS.join(', ')}; ${nodes[0]!.cpu} cpu, ${nodes[0]!.memory}, ${podsPerNode} pods each) warmup=${warmupJobs} timeout=${timeoutMs / 1000}s; ` +
    `processes: kuscia apiserver, kuscia controllers, kuscia scheduler; test agent + load generator + job watch in this process`,
);

// Cleanup on every way out: children killed, temp data removed (also on SIGINT / an exception).
const dataDir = mkdtempSync(join(tmpdir(), 'jobs-bench-'));
let server: ServerProcess | undefined;
const children: KusciaChild[] = [];
process.on('exit', () => {
  for (const c of children) c.killNow();
  server?.killNow();
  rmSync(dataDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

server = await startServerProcess({ dataDir, storage });
console.log(`  (kuscia apiserver pid ${server.pid} on ${server.url}, storage=${storage})`);
const kubeConfig = loadKubeConfig(server.kubeconfigPath);
await installAllKusciaCrds(kubeConfig);
const setupApi = new KubeApi(kubeConfig);
const clients = makeKusciaClients(setupApi);
await clients.namespaces.create({ metadata: { name: CROSS_DOMAIN_NAMESPACE } });

const common = ['--kubeconfig', server.kubeconfigPath, '--healthz-port', '0', '--log-level', 'warn'];
const heapSnapshotDir = values['heap-snapshot'];
if (heapSnapshotDir) mkdirSync(heapSnapshotDir, { recursive: true });
const words = (v: string | undefined) => v?.split(' ').filter(Boolean) ?? [];
// The test agent's nodes renew no Lease: keep the node lifecycle controller from failing their pods.
const controllers = await startKusciaChild('controllers', ['controllers', ...common, '--node-monitor-grace-period', '1h', ...words(process.env['BENCH_CONTROLLERS_ARGS'])], {
  heapSnapshotDir,
  wrapper: words(process.env['BENCH_CONTROLLERS_WRAPPER']),
});
children.push(controllers);
const scheduler = await startKusciaChild('scheduler', ['scheduler', ...common]);
children.push(scheduler);
console.log(`  (kuscia controllers pid ${controllers.pid}, kuscia scheduler pid ${scheduler.pid}, both leader-elected as by default)`);

for (const domain of DOMAINS) await clients.domains.create({ apiVersion: API_VERSION, kind: 'Domain', metadata: { name: domain }, spec: {} });
await clients.appImages.create(parse(readFileSync(APPIMAGE_FILE, 'utf8')) as AppImage);

const agentApi = new KubeApi(kubeConfig, { maxSockets: 32 });
const agent: TestAgent = await startTestAgent({ clients: makeKusciaClients(agentApi), nodes, log, behaviour: () => ({ outcome: 'succeed', runMs }) });
const tracker: JobTracker = await startJobTracker(kubeConfig, log);
const loadApi = new KubeApi(kubeConfig, { maxSockets: concurrency + 4 });
const loadClients = makeKusciaClients(loadApi);

const jobObject = (name: string): KusciaJob => ({
  apiVersion: API_VERSION,
  kind: 'KusciaJob',
  metadata: { name, namespace: CROSS_DOMAIN_NAMESPACE },
  spec: {
    initiator: 'alice',
    tasks: [{ alias: 'psi', taskID: `${name}-psi`, appImage: 'secretflow-image', taskInputConfig: '{"alias":"psi"}', parties: DOMAINS.map((domainID) => ({ domainID })) }],
  },
});

const createdAt = new Map<string, number>();
const createErrors: string[] = [];
/** Creates the job and waits for it to be terminal on the watch (or the deadline). */
const runJob = async (name: string, deadline: number): Promise<void> => {
  createdAt.set(name, performance.now());
  try {
    await loadClients.kusciaJobs.create(jobObject(name));
  } catch (err) {
    createErrors.push(`${name}: ${describeError(err)}`);
    return;
  }
  await Promise.race([tracker.whenDone(name), sleep(Math.max(0, deadline - performance.now()))]);
};

// Warm-up: proves every process is up and leading (the job cannot finish otherwise) and warms the JITs.
for (let i = 0; i < warmupJobs; i++) {
  const name = `warmup-${i}`;
  await runJob(name, performance.now() + 120_000);
  const o = tracker.outcome(name);
  if (o?.phase !== 'Succeeded') {
    const job = tracker.get(name);
    console.log(`warm-up job ${name} did not succeed within 120 s:\n${job ? await describeJob(clients, job) : '(never seen on the watch)'}`);
    console.log(`--- controllers output ---\n${controllers.output()}\n--- scheduler output ---\n${scheduler.output()}`);
    process.exit(1);
  }
  console.log(`  (warm-up job ${name} Succeeded in ${ms(o.at - createdAt.get(name)!)})`);
}

// Baseline for the end-of-run report. No snapshot here: writing one mallocs ~100 MB of snapshot graph
// that glibc keeps, which would then count in the run's RSS figures.
if (heapSnapshotDir) console.log(`  controllers memory after warm-up:\n    ${await controllers.memoryReport(false)}`);

const processes = [
  { name: 'controllers', pid: controllers.pid, cpuMs: () => controllers.cpuMs() },
  { name: 'scheduler', pid: scheduler.pid, cpuMs: () => scheduler.cpuMs() },
  { name: 'apiserver', pid: server.pid, cpuMs: () => server!.cpuMs() },
];
const cpu0 = new Map(processes.map((p) => [p.name, p.cpuMs()]));
const benchCpu0 = process.cpuUsage();
const sampler = sampleRss(processes, sampleMs);

const names = Array.from({ length: jobCount }, (_, i) => `bench-job-${String(i).padStart(5, '0')}`);
const startedAt = performance.now();
const deadline = startedAt + timeoutMs;
let next = 0;
const progress = setInterval(() => {
  const rss = processes.map((p) => {
    try {
      return `${p.name} ${mb(readProcMemory(p.pid).rssMiB)}`;
    } catch {
      return `${p.name} gone`;
    }
  });
  console.log(`  ${((performance.now() - startedAt) / 1000).toFixed(0)} s: created ${int(Math.min(next, jobCount))}, finished ${int(tracker.doneCount() - warmupJobs)} / ${int(jobCount)}; RSS ${rss.join(', ')}`);
}, 10_000);
const worker = async () => {
  for (;;) {
    const i = next++;
    if (i >= jobCount || performance.now() > deadline) return;
    await runJob(names[i]!, deadline);
  }
};
await Promise.all(Array.from({ length: Math.min(concurrency, jobCount) }, worker));
clearInterval(progress);
const endedAt = performance.now();
const memory = sampler.stop();
const benchCpu = process.cpuUsage(benchCpu0);

// --- figures ---
const latencies: number[] = [];
let lastDone = startedAt;
const failed: string[] = [];
const unfinished: string[] = [];
for (const name of names) {
  const o = tracker.outcome(name);
  const t0 = createdAt.get(name);
  if (!o || t0 === undefined) {
    if (t0 !== undefined) unfinished.push(name);
    continue;
  }
  lastDone = Math.max(lastDone, o.at);
  if (o.phase === 'Succeeded') latencies.push(o.at - t0);
  else failed.push(name);
}
const notCreated = jobCount - createdAt.size + warmupJobs;
const succeeded = latencies.length;
const elapsedMs = lastDone - startedAt;
const lat = sortedCopy(latencies);

report({
  name: `jobs/s end to end (${int(succeeded)} of ${int(jobCount)} jobs Succeeded; first create -> last job terminal on the watch, ${ms(elapsedMs)})`,
  value: `${(succeeded / (elapsedMs / 1000)).toFixed(1)}/s`,
  target: '',
});
report({ name: `job latency p50 / p99 (create sent -> Succeeded on the watch; ${concurrency} jobs in flight)`, value: `${ms(percentile(lat, 50))} / ${ms(percentile(lat, 99))}`, target: '' });
report({
  name: 'jobs failed / unfinished / not created',
  value: `${failed.length} / ${unfinished.length} / ${notCreated}${createErrors.length ? ` (create errors: ${createErrors.length})` : ''}`,
  target: '0',
  met: failed.length + unfinished.length + notCreated === 0,
});
for (const p of processes) {
  const m: RssSample = memory.get(p.name)!;
  report({ name: `${p.name} RSS peak (sampled every ${sampleMs} ms) / final / VmHWM`, value: `${mb(m.peakRssMiB)} / ${mb(m.lastRssMiB)} / ${mb(m.hwmMiB)}`, target: '' });
}
const cpuFigures = processes.map((p) => {
  let used = NaN;
  try {
    used = p.cpuMs() - cpu0.get(p.name)!;
  } catch {
    // gone
  }
  return `${p.name} ${ms(used / Math.max(1, succeeded))} (${Math.round((used / (endedAt - startedAt)) * 100)}% of a core)`;
});
const benchUsed = (benchCpu.user + benchCpu.system) / 1000;
cpuFigures.push(`bench process ${ms(benchUsed / Math.max(1, succeeded))} (${Math.round((benchUsed / (endedAt - startedAt)) * 100)}%)`);
report({ name: 'CPU per job', value: cpuFigures.join(', '), target: '' });
console.log(`  (objects held by the API server at the end: ${await objectCounts()})`);
if (agent.errors.length) console.log(`  (agent status write errors: ${agent.errors.length}; first: ${agent.errors[0]})`);
for (const e of createErrors.slice(0, 10)) console.log(`  create error: ${e}`);

for (const name of [...failed, ...unfinished].slice(0, 20)) {
  const job = tracker.get(name);
  console.log(job ? await describeJob(clients, job) : `job ${name}: never seen on the watch`);
}
if (failed.length + unfinished.length > 20) console.log(`  (${failed.length + unfinished.length - 20} more not shown)`);
for (const c of children) {
  const out = c.output().trim();
  if (out && (failed.length || unfinished.length)) console.log(`--- ${c.name} output (warnings and errors) ---\n${out.slice(-4000)}`);
}

if (heapSnapshotDir) {
  console.log(`  controllers memory after the last job:\n    ${await controllers.memoryReport(false)}`);
  console.log(`  controllers memory after a full GC:\n    ${await controllers.memoryReport(true)}`);
  console.log(`  controllers heap snapshot after the last job: ${await controllers.heapSnapshot()}`);
}

console.log(`\nsummary (storage=${storage}, jobs=${int(jobCount)}, concurrency=${concurrency}, run-ms=${runMs}):\n${formatTable(figures)}`);

await agent.stop();
await tracker.stop();
for (const api of [setupApi, agentApi, loadApi]) api.close();
for (const c of children) await c.stop();
await server.stop();
process.exit(0);

/** What the run left in the API server (explains its RSS): every collection the pipeline writes. */
async function objectCounts(): Promise<string> {
  const paths: Record<string, string> = {
    kusciajobs: '/apis/kuscia.secretflow/v1alpha1/kusciajobs',
    kusciatasks: '/apis/kuscia.secretflow/v1alpha1/kusciatasks',
    taskresourcegroups: '/apis/kuscia.secretflow/v1alpha1/taskresourcegroups',
    taskresources: '/apis/kuscia.secretflow/v1alpha1/taskresources',
    pods: '/api/v1/pods',
    services: '/api/v1/services',
    configmaps: '/api/v1/configmaps',
    events: '/api/v1/events',
  };
  const parts: string[] = [];
  for (const [name, path] of Object.entries(paths)) {
    try {
      const list = await setupApi.request<{ items: unknown[] }>('GET', path);
      parts.push(`${name} ${int(list.items.length)}`);
    } catch (err) {
      parts.push(`${name} ? (${describeError(err)})`);
    }
  }
  return parts.join(', ');
}
