/**
 * Server CPU per write on the update/patch path, the writes bench:scheduler is made of: pod
 * creates, merge PATCHes of pod labels/annotations, pods/binding, pod status PUTs and the agent's
 * merge PATCH of pods/status, each phase over N pods against `kuscia apiserver` in its own
 * process. The figure is the server process's
 * CPU time (user + system) for the phase divided by the number of writes, so the load generator
 * does not count. Run: node bench/apiserver/write-path.ts [--pods N] [--rounds R] [--concurrency C]
 * [--server-cpu-prof DIR] (a V8 CPU profile of the server; summarise with cpuprofile-summary.ts)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeRestClient, loadTlsIdentity } from './http-client.ts';
import { startServerProcess } from './server-process.ts';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    'server-cpu-prof': { type: 'string' },
  },
});
const podCount = Number(values.pods);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

const dataDir = mkdtempSync(join(tmpdir(), 'write-path-'));
const cpuProfDir = values['server-cpu-prof'];
const server = await startServerProcess({ dataDir, storage: 'memory', nodeFlags: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [] });
const client = new KubeRestClient(server.url, loadTlsIdentity(server.kubeconfigPath));
process.on('exit', () => server.killNow());

async function eachPod(fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < podCount) await fn(next++);
    }),
  );
}

const base = '/api/v1/namespaces/bench/pods';
const podName = (round: number, i: number) => `pod-${round}-${i}`;
function pod(round: number, i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(round, i),
      labels: { 'kuscia.secretflow/task-resource-uid': '', 'kuscia.secretflow/controller': 'kusciatask' },
      annotations: { 'kuscia.secretflow/task-resource-group': `task-${i}`, 'kuscia.secretflow/task-resource': '', 'kuscia.secretflow/task-id': `task-${i}` },
    },
    spec: {
      schedulerName: 'kuscia-scheduler',
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      tolerations: [{ key: 'kuscia.secretflow/agent', operator: 'Exists', effect: 'NoSchedule' }],
      nodeSelector: { 'kuscia.secretflow/namespace': 'bench' },
      containers: [{ name: 'main', image: 'secretflow/app:1.0', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    },
  };
}

async function phase(name: string, fn: (i: number) => Promise<unknown>, totals: Map<string, number[]>): Promise<void> {
  const before = server.cpuMs();
  await eachPod(fn);
  const perWrite = (server.cpuMs() - before) / podCount;
  totals.set(name, [...(totals.get(name) ?? []), perWrite]);
}

await client.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
const totals = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  await phase('create', (i) => client.send('POST', `${base}?fieldManager=kusciatask`, pod(round, i)), totals);
  await phase(
    'merge PATCH labels/annotations',
    (i) =>
      client.send(
        'PATCH',
        `${base}/${podName(round, i)}?fieldManager=kuscia-scheduler`,
        { metadata: { labels: { 'kuscia.secretflow/task-resource-uid': `uid-${i}` }, annotations: { 'kuscia.secretflow/task-resource': `tr-${i}` } } },
        'application/merge-patch+json',
      ),
    totals,
  );
  await phase(
    'pods/binding',
    (i) => client.send('POST', `${base}/${podName(round, i)}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: podName(round, i) }, target: { kind: 'Node', name: 'node-1' } }),
    totals,
  );
  // The objects to PUT back are read outside the measured phase.
  const current: Record<string, unknown>[] = [];
  await eachPod(async (i) => (current[i] = (await client.json('GET', `${base}/${podName(round, i)}`)) as Record<string, unknown>));
  await phase(
    'PUT status',
    (i) => client.send('PUT', `${base}/${podName(round, i)}/status?fieldManager=kuscia-agent`, { ...current[i], status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }),
    totals,
  );
  // What the test agent (test/support/test-agent.ts) sends when a container starts: a merge patch
  // of pods/status with the phase, IPs, start time, four conditions and the container's state.
  const since = '2024-01-01T00:00:00Z';
  const runningCondition = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: since });
  await phase(
    'merge PATCH pods/status (agent)',
    (i) =>
      client.send(
        'PATCH',
        `${base}/${podName(round, i)}/status?fieldManager=kuscia-agent`,
        {
          status: {
            phase: 'Running',
            hostIP: '127.0.0.1',
            podIP: `10.42.${(i >> 8) & 255}.${i & 255}`,
            podIPs: [{ ip: `10.42.${(i >> 8) & 255}.${i & 255}` }],
            startTime: since,
            conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(runningCondition),
            containerStatuses: [
              { name: 'main', image: 'secretflow/app:1.0', imageID: '', containerID: `test://${i}-main`, ready: true, started: true, restartCount: 0, state: { running: { startedAt: since } } },
            ],
          },
        },
        'application/merge-patch+json',
      ),
    totals,
  );
  await phase(
    'PUT whole object (label added)',
    (i) => {
      const obj = current[i] as { metadata: { labels: Record<string, string>; resourceVersion?: string } };
      return client.send('PUT', `${base}/${podName(round, i)}?fieldManager=kuscia-controller`, { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined, labels: { ...obj.metadata.labels, done: 'yes' } } });
    },
    totals,
  );
}
await server.stop();
client.close();
rmSync(dataDir, { recursive: true, force: true });

console.log(`server CPU ms per write (${podCount} pods x ${rounds} rounds, concurrency ${concurrency}; per round, then median)`);
for (const [name, perRound] of totals) {
  const sorted = [...perRound].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`  ${name.padEnd(32)} ${perRound.map((v) => v.toFixed(3)).join(' ')}  median ${median.toFixed(3)}`);
}
