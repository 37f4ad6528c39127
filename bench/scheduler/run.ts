/**
 * Gang-scheduling throughput, end to end through the API: the API server, the TaskResourceGroup
 * controller, kuscia-scheduler and the test agent with simulated nodes. Gangs are created the way
 * the KusciaTask controller creates them (a task's pods, then its TaskResourceGroup), by a few
 * concurrent creators as a controller's workers would.
 *
 *   npm run bench:scheduler -- [--gangs 3000] [--pods-per-party 3] [--nodes 1000] [--creators 8]
 *       [--agent run|hold] [--events] [--trg-workers 4] [--apiserver process|thread|main]
 *       [--server-cpu-prof DIR] [--backlog] [--timeout 300]
 *
 * Figures: pods bound per second (first pod created → last pod bound) [target >= 1,000/s]; per-gang
 * latency p50/p99 (first pod of the gang created → last pod of the gang bound); gangs not bound;
 * RSS; CPU of each process and CPU per bound pod (the figure that does not move when something else
 * runs on the machine); and the scheduler's own placement rate on the same shape without the API.
 * "Bound" is when the binding is seen through the watch.
 *
 * Where the API server runs (`--apiserver`):
 * - `process` (default): `kuscia apiserver --storage memory` in its own process, as a user runs it;
 *   it gets the second core. Controllers, scheduler, test agent and load share this process.
 * - `thread`: the embedded server on a worker thread of this process (a core of its own too).
 * - `main`: everything on one JavaScript thread: the whole pipeline's CPU cost on one core.
 * With the API server on its own core it is the limit (about 6 writes per pod, each ~0.3-0.6 ms of
 * its CPU); profile it with `--server-cpu-prof DIR`.
 *
 * `--backlog` creates every gang first and starts the scheduler only when all of them wait in
 * Reserving (scheduler_perf's style: pods exist, scheduling is measured). `--agent hold` leaves
 * bound pods Pending (no kubelet status writes, as scheduler_perf has no kubelets).
 *
 * Profile this process with `node --cpu-prof --cpu-prof-dir=DIR bench/scheduler/run.ts ...`,
 * summarise with bench/apiserver/cpuprofile-summary.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { startApiServer } from '../../pkg/apiserver/server.ts';
import { makeKusciaClients } from '../../pkg/controllers/common/clients.ts';
import type { ControllerContext } from '../../pkg/controllers/common/controller-context.ts';
import { KusciaResources } from '../../pkg/controllers/common/resources.ts';
import { newTaskResourceGroupController } from '../../pkg/controllers/taskresourcegroup/index.ts';
import { Annotations } from '../../pkg/crd/constants.ts';
import type { TaskResource, TaskResourceGroup } from '../../pkg/crd/resource.ts';
import { KubeApi } from '../../pkg/kube/api-client.ts';
import { loadKubeConfig } from '../../pkg/kube/client.ts';
import { SharedInformerFactory } from '../../pkg/kube/informer-factory.ts';
import { CoreResources } from '../../pkg/kube/resources.ts';
import type { Pod } from '../../pkg/kube/wire.ts';
import { KusciaScheduler } from '../../pkg/scheduler/index.ts';
import { gangGroup, gangPods, type GangSpec } from '../../test/integration/scheduler/task-gang.ts';
import { installAllKusciaCrds } from '../../test/support/controller-env.ts';
import { startTestAgent, type TestAgentNode } from '../../test/support/test-agent.ts';
import { formatFigureLine, formatTable, int, ms, percentile, sortedCopy, type Figure } from '../apiserver/stats.ts';
import { startServerProcess } from '../apiserver/server-process.ts';
import { measureSchedulerCore } from './core.ts';
import { describeWritesPerPod, scrapeRequestCounts } from './request-counts.ts';
import { intFlag } from '../common/int-flag.ts';

const { values } = parseArgs({
  options: {
    gangs: { type: 'string', default: '3000' },
    'pods-per-party': { type: 'string', default: '3' },
    nodes: { type: 'string', default: '1000' },
    creators: { type: 'string', default: '8' },
    agent: { type: 'string', default: 'run' },
    events: { type: 'boolean', default: false },
    'trg-workers': { type: 'string', default: '4' },
    apiserver: { type: 'string', default: 'process' },
    'server-cpu-prof': { type: 'string' },
    backlog: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '300' },
  },
});
const num = (name: string) => intFlag(values, name, 1);
const gangs = num('gangs');
const podsPerParty = num('pods-per-party');
const nodeCount = num('nodes');
const creators = num('creators');
const trgWorkers = num('trg-workers');
const timeoutMs = num('timeout') * 1000;
const agentMode = values.agent === 'hold' ? 'hold' : 'run';
const API_SERVER_MODES = ['process', 'thread', 'main'] as const;
type ApiServerMode = (typeof API_SERVER_MODES)[number];
const apiserverMode = API_SERVER_MODES.find((m) => m === values.apiserver);
if (!apiserverMode) throw new Error(`--apiserver must be one of ${API_SERVER_MODES.join(', ')}`);
if (values['server-cpu-prof'] && apiserverMode !== 'process') throw new Error('--server-cpu-prof needs --apiserver process');
const WHERE_SERVER_RUNS: Record<ApiServerMode, string> = {
  process: 'its own process (`kuscia apiserver --storage memory`)',
  thread: 'a worker thread of this process',
  main: "this process's main thread",
};
const backlog = values.backlog ?? false;
const PARTIES = ['alice', 'bob'] as const;
const podsPerGang = podsPerParty * PARTIES.length;
const totalPods = gangs * podsPerGang;

const figures: Figure[] = [];
const report = (f: Figure) => {
  figures.push(f);
  console.log(formatFigureLine(f));
};
const MB = 1e6;
const log = pino({ level: process.env['BENCH_LOG_LEVEL'] ?? 'silent' });
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${process.platform}/${process.arch}`);
console.log(
  `config: storage=memory, API server in ${WHERE_SERVER_RUNS[apiserverMode]}; nodes=${int(nodeCount)} ` +
    `(${PARTIES.join(', ')}: ${int(nodeCount / PARTIES.length)} each); gangs=${int(gangs)} x ${PARTIES.length} parties x ${podsPerParty} pods = ${int(totalPods)} pods; ` +
    `creators=${creators}, agent=${agentMode}, events=${values.events ? 'on' : 'off'}, trg-workers=${trgWorkers}${backlog ? ', backlog (scheduler starts after all gangs wait)' : ''}`,
);

const dataDir = mkdtempSync(join(tmpdir(), 'scheduler-bench-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const serverProcess =
  apiserverMode === 'process'
    ? await startServerProcess({ dataDir, storage: 'memory', nodeFlags: values['server-cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['server-cpu-prof']}`] : [] })
    : undefined;
process.on('exit', () => serverProcess?.killNow());
const server: { kubeconfigPath: string; stop: () => Promise<void> } =
  serverProcess ?? (apiserverMode === 'thread' ? await startApiServerThread() : await startApiServer({ dataDir, storage: 'memory', port: 0, logger: log }));
const kubeConfig = loadKubeConfig(server.kubeconfigPath);
await installAllKusciaCrds(kubeConfig);

// One connection pool per component, as separate processes would have.
const controllerApi = new KubeApi(kubeConfig, { maxSockets: 64 });
const agentApi = new KubeApi(kubeConfig, { maxSockets: 32 });
const loadApi = new KubeApi(kubeConfig, { maxSockets: 64 });
const controllerClients = makeKusciaClients(controllerApi);
const loadClients = makeKusciaClients(loadApi);
for (const ns of PARTIES) await loadClients.namespaces.create({ metadata: { name: ns } });

// Node shape: room for every pod at once (the benchmark measures scheduling, not waiting for capacity).
const perNodePods = Math.ceil((totalPods / nodeCount) * 2) + 10;
const nodes: TestAgentNode[] = Array.from({ length: nodeCount }, (_, i) => {
  const domain = PARTIES[i % PARTIES.length]!;
  return { name: `${domain}-node-${String(i).padStart(4, '0')}`, domain, cpu: String(perNodePods), memory: `${perNodePods * 2}Gi`, pods: perNodePods };
});
const specs: GangSpec[] = Array.from({ length: gangs }, (_, i) => ({
  task: `task-${String(i).padStart(5, '0')}`,
  lifecycleSeconds: 3600,
  resourceReservedSeconds: 600,
  parties: PARTIES.map((domain) => ({ domain, pods: podsPerParty, cpu: '1', memory: '1Gi' })),
}));

let t = performance.now();
const agent = await startTestAgent({ clients: makeKusciaClients(agentApi), nodes, log, behaviour: () => agentMode });
console.log(`  (${int(nodeCount)} nodes registered in ${ms(performance.now() - t)})`);

// The controllers share one informer factory, as in one controller-manager process.
const ctx: ControllerContext = { clients: controllerClients, informers: new SharedInformerFactory({ api: controllerApi, log }), log, now: Date.now };
const trg = newTaskResourceGroupController(ctx, { workers: trgWorkers });
const scheduler = new KusciaScheduler(ctx, { recordEvents: values.events });

// Bind times come from the shared pod informer: no extra watch, no extra parsing.
const boundAt = new Map<string, number>();
const podInformer = ctx.informers.informerFor<Pod>(CoreResources.pods);
let lastBound = 0;
let linkedPods = 0;
const onPod = (old: Pod | undefined, pod: Pod) => {
  if (pod.metadata?.annotations?.[Annotations.TaskResource] && !old?.metadata?.annotations?.[Annotations.TaskResource]) linkedPods++;
  if (!pod.spec?.nodeName) return;
  const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  if (boundAt.has(key)) return;
  lastBound = performance.now();
  boundAt.set(key, lastBound);
};
podInformer.addEventHandler({ onAdd: (p) => onPod(undefined, p), onUpdate: onPod });
const groupInformer = ctx.informers.informerFor<TaskResourceGroup>(KusciaResources.taskResourceGroups);
const trInformer = ctx.informers.informerFor<TaskResource>(KusciaResources.taskResources);
await ctx.informers.start();
if (!(await ctx.informers.waitForCacheSync(60_000))) throw new Error('informers did not sync');
trg.run();
if (!backlog) scheduler.run();

const firstCreated = new Float64Array(gangs);
const apiServerUrl = kubeConfig.getCurrentCluster()!.server;
const requests0 = await scrapeRequestCounts(apiServerUrl, server.kubeconfigPath);
const cpu0 = process.cpuUsage();
const serverCpu0 = serverProcess?.cpuMs() ?? 0;
const createErrors: string[] = [];
let nextGang = 0;
const startedAt = performance.now();
const creator = async () => {
  for (;;) {
    const i = nextGang++;
    if (i >= gangs) return;
    const spec = specs[i]!;
    try {
      await Promise.all(
        gangPods(spec).map((pod) =>
          loadClients.pods.create(pod).then(() => {
            if (!firstCreated[i]) firstCreated[i] = performance.now();
          }),
        ),
      );
      await loadClients.taskResourceGroups.create(gangGroup(spec));
    } catch (err) {
      createErrors.push(`${spec.task}: ${(err as Error).message}`);
    }
  }
};
const progress = setInterval(() => {
  const s = (performance.now() - startedAt) / 1000;
  console.log(`  ${s.toFixed(0)} s: created ${int(Math.min(nextGang, gangs))} gangs, bound ${int(boundAt.size)} / ${int(totalPods)} pods, rss ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);
}, 5000);
await Promise.all(Array.from({ length: creators }, creator));
const createdMs = performance.now() - startedAt;

let schedulerStartedAt = startedAt;
if (backlog) {
  // Every pod linked to its TaskResource and every TaskResource waiting in Reserving.
  const ready = () => linkedPods >= totalPods && trInformer.list().filter((tr) => tr.status?.phase === 'Reserving').length >= gangs * PARTIES.length;
  while (!ready() && performance.now() - startedAt < timeoutMs) await sleep(50);
  console.log(`  (backlog ready after ${ms(performance.now() - startedAt)}: ${int(gangs * PARTIES.length)} TaskResources Reserving; scheduler starts now)`);
  schedulerStartedAt = performance.now();
  scheduler.run();
}

// Done when every pod is bound, or the rest belongs to failed groups, or nothing moved for a minute.
const failedGroups = () => groupInformer.list().filter((g) => g.status?.phase === 'Failed').length;
let lastProgress = performance.now();
let seen = boundAt.size;
while (boundAt.size < totalPods && performance.now() - startedAt < timeoutMs) {
  await sleep(100);
  if (boundAt.size !== seen) {
    seen = boundAt.size;
    lastProgress = performance.now();
  }
  const failed = failedGroups();
  if (failed > 0 && boundAt.size + failed * podsPerGang >= totalPods) break;
  if (performance.now() - lastProgress > 60_000) break;
}
clearInterval(progress);
const cpu = process.cpuUsage(cpu0);
const serverCpuMs = (serverProcess?.cpuMs() ?? 0) - serverCpu0;
const wallMs = performance.now() - startedAt;
const requests = await scrapeRequestCounts(apiServerUrl, server.kubeconfigPath);

const from = backlog ? schedulerStartedAt : Math.min(...firstCreated.filter((v) => v > 0));
const rate = boundAt.size / ((lastBound - from) / 1000);
const latencies: number[] = [];
for (let i = 0; i < gangs; i++) {
  const bound = gangPods(specs[i]!).map((p) => boundAt.get(`${p.metadata!.namespace}/${p.metadata!.name}`));
  if (bound.every((v) => v !== undefined)) latencies.push(Math.max(...(bound as number[])) - (backlog ? schedulerStartedAt : firstCreated[i]!));
}
const lat = sortedCopy(latencies);
const unbound = gangs - latencies.length;
const mem = process.memoryUsage();

report({
  name: `pods bound/s (${int(totalPods)} pods, ${int(gangs)} two-party gangs, ${int(nodeCount)} nodes; ${backlog ? 'scheduler start' : 'first pod created'} -> last pod bound)`,
  value: `${int(rate)}/s`,
  target: '>= 1,000/s',
  met: rate >= 1000,
});
report({
  name: `gang latency p50 / p99 (${backlog ? 'scheduler start' : 'first pod of the gang created'} -> last pod of the gang bound)`,
  value: `${ms(percentile(lat, 50))} / ${ms(percentile(lat, 99))}`,
  target: '',
});
report({ name: 'gangs not fully bound (failed or timed out)', value: `${int(unbound)} (groups Failed: ${int(failedGroups())}, create errors: ${createErrors.length})`, target: '0', met: unbound === 0 });
report({ name: 'creation of pods and groups took', value: `${ms(createdMs)} (${int(totalPods / (createdMs / 1000))} pods/s offered)`, target: '' });
if (serverProcess) {
  const { rssMiB, peakMiB } = serverProcess.memory();
  report({ name: 'API server process RSS at the end / peak', value: `${rssMiB.toFixed(0)} MiB / ${peakMiB.toFixed(0)} MiB`, target: '' });
}
report({ name: 'bench process RSS at the end / peak', value: `${(mem.rss / MB).toFixed(0)} MB / ${((process.resourceUsage().maxRSS * 1024) / MB).toFixed(0)} MB`, target: '' });
const PROCESS_THREADS: Record<ApiServerMode, string> = {
  process: 'controllers, scheduler, agent, load: one JS thread',
  thread: 'two JS threads, one of them the API server',
  main: 'one JS thread, API server included',
};
report({
  name: `bench process CPU during the run (${PROCESS_THREADS[apiserverMode]}; + V8 helpers)`,
  value: `${Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100)}% of one core`,
  target: '',
});
if (serverProcess) report({ name: 'API server process CPU during the run', value: `${Math.round((serverCpuMs / wallMs) * 100)}% of one core`, target: '' });
// CPU per pod does not depend on what else the machine runs (rates do, on a shared 2-core box).
const benchCpuMs = (cpu.user + cpu.system) / 1000;
report({
  name: `CPU per bound pod (${serverProcess ? 'bench process + API server process' : 'bench process'})`,
  value: `${((benchCpuMs + serverCpuMs) / Math.max(1, boundAt.size)).toFixed(2)} ms${serverProcess ? ` (${(benchCpuMs / Math.max(1, boundAt.size)).toFixed(2)} + ${(serverCpuMs / Math.max(1, boundAt.size)).toFixed(2)})` : ''}`,
  target: '',
});
report({ name: 'API writes per bound pod (from apiserver_request_total)', value: describeWritesPerPod(requests, requests0, Math.max(1, boundAt.size)), target: '' });
console.log(`  (scheduler bound ${int(scheduler.boundCount)} pods; agent status write errors: ${agent.errors.length}${createErrors.length ? `; ${createErrors.slice(0, 3).join('; ')}` : ''})`);

await scheduler.stop();
await trg.stop();
await agent.stop();
await ctx.informers.stop();
for (const api of [controllerApi, agentApi, loadApi]) api.close();
await server.stop();

// The scheduler's own work on the same shape, without the API (label index, filter, score, statement).
const core = measureSchedulerCore(nodes, specs);
report({
  name: `scheduler core alone: pods placed/s (same ${int(core.pods)} pods and ${int(nodeCount)} nodes, in memory, no API)`,
  value: `${int(core.placed / (core.elapsedMs / 1000))}/s (${ms(core.elapsedMs)})`,
  target: '',
});
console.log(`\nsummary:\n${formatTable(figures)}`);

/** The API server on a worker thread of this process (its own event loop, so its own core). */
async function startApiServerThread(): Promise<{ kubeconfigPath: string; stop: () => Promise<void> }> {
  const worker = new Worker(new URL('./apiserver-worker.ts', import.meta.url), { workerData: { dataDir } });
  const started = await new Promise<{ kubeconfigPath: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    kubeconfigPath: started.kubeconfigPath,
    stop: async () => {
      const stopped = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}
