/**
 * End-to-end benchmark of the embedded API server over HTTPS, with the server in its own process:
 *
 *   npm run bench:apiserver -- [--storage sqlite|memory] [--creates 20000] [--objects 100000]
 *                              [--skip-rss] [--skip-rbac] [--warmup 0] [--cpu-prof] [--heap-snapshot]
 *                              [--server-node-flags "--max-semi-space-size=16"]
 *
 * Figures (target in brackets): ConfigMap creates/s with 32 keep-alive clients [>= 5,000/s] and
 * their p50/p99; GET p50/p99; full list of 10,000 objects, median of 5 [<= 150 ms]; watch delivery
 * p99 with 100 watchers [<= 50 ms]; server RSS holding 100,000 1 KiB ConfigMaps [<= 400 MB]; the
 * create and GET phases again as an RBAC-limited service account (token from TokenRequest, a Role
 * granting configmaps verbs in its namespace only) and the ratio RBAC user / admin [>= 0.85].
 * It never fails on a missed target: it prints MISSED.
 *
 * Diagnostics: `--cpu-prof` writes a V8 CPU profile of the server (whole run) into
 * $TMPDIR/kuscia-apiserver-bench-profiles/ (summarise it with cpuprofile-summary.ts);
 * `--heap-snapshot` writes a server heap snapshot there after the RSS figure; `--warmup N` creates
 * N unmeasured objects first (JIT warm-up vs steady state); `--server-node-flags` passes V8/Node
 * flags to the server process; `--watch-rate 0` removes the watch phase's create-rate cap.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeRestClient, loadTlsIdentity } from './http-client.ts';
import { runLoad } from './load.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { formatFigureLine, formatTable, int, median, ms, percentile, sortedCopy, type Figure } from './stats.ts';
import { nowMs, openWatchers } from './watchers.ts';
import { intFlag } from '../common/int-flag.ts';

const { values } = parseArgs({
  options: {
    storage: { type: 'string', default: 'sqlite' },
    creates: { type: 'string', default: '20000' },
    objects: { type: 'string', default: '100000' },
    gets: { type: 'string', default: '5000' },
    'list-size': { type: 'string', default: '10000' },
    watchers: { type: 'string', default: '100' },
    'watch-events': { type: 'string', default: '2000' },
    'watch-rate': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '32' },
    'skip-rss': { type: 'boolean', default: false },
    'skip-rbac': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'heap-snapshot': { type: 'boolean', default: false },
    warmup: { type: 'string', default: '0' },
    'server-node-flags': { type: 'string', default: '' },
  },
});
const storage = values.storage === 'memory' ? 'memory' : 'sqlite';
const num = (name: string) => intFlag(values, name, 0);
const creates = num('creates');
const targetObjects = num('objects');
const gets = num('gets');
const listSize = num('list-size');
const watcherCount = num('watchers');
const watchEvents = num('watch-events');
const watchRate = num('watch-rate');
const concurrency = num('concurrency');
const warmup = num('warmup');
// e.g. --server-node-flags="--max-semi-space-size=16": V8 tuning experiments on the server process.
const serverNodeFlags = values['server-node-flags']!.split(/\s+/).filter(Boolean);

const MiB_PER_MB = 1e6 / 2 ** 20;
const figures: Figure[] = [];
const report = (f: Figure) => {
  figures.push(f);
  console.log(formatFigureLine(f));
};

// ~1 KiB of varied text, so every object's data.payload is exactly 1024 characters.
const payload = Array.from({ length: 1024 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789'[(i * 7 + (i >> 5)) % 36]).join('');
const configMap = (name: string, extra: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data: { payload, ...extra },
});
const cmName = (i: number) => `cm-${String(i).padStart(6, '0')}`;
const cmPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;

console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${process.platform}/${process.arch}`);
console.log(
  `config: storage=${storage} creates=${int(creates)} gets=${int(gets)} list=${int(listSize)} watchers=${watcherCount} ` +
    `watch-events=${int(watchEvents)} @${watchRate || 'unlimited'}/s objects=${targetObjects && !values['skip-rss'] ? int(targetObjects) : 'skipped'} concurrency=${concurrency}` +
    (serverNodeFlags.length ? ` server-node-flags=${serverNodeFlags.join(' ')}` : ''),
);

const dataDir = mkdtempSync(join(tmpdir(), 'apiserver-bench-'));
const profileDir = join(tmpdir(), 'kuscia-apiserver-bench-profiles');
let server: ServerProcess | undefined;
let client: KubeRestClient | undefined;
// Cleanup that also runs on Ctrl-C or an uncaught failure: never leave the server or its data behind.
process.on('exit', () => {
  server?.killNow();
  rmSync(dataDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

try {
  if (values['cpu-prof'] || values['heap-snapshot']) mkdirSync(profileDir, { recursive: true });
  server = await startServerProcess({
    dataDir,
    storage,
    nodeFlags: [
      ...serverNodeFlags,
      ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(values['heap-snapshot'] ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${profileDir}`] : []),
    ],
  });
  client = new KubeRestClient(server.url, loadTlsIdentity(server.kubeconfigPath), { maxSockets: concurrency });
  await benchmark(server, client);
} catch (e) {
  process.exitCode = 1;
  console.error(`benchmark aborted: ${(e as Error).stack ?? e}`);
} finally {
  client?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (values['cpu-prof'] || values['heap-snapshot']) console.log(`server profiles written to ${profileDir}/`);
}

/**
 * A client that authenticates as service account `bench` of `ns`, allowed by a Role to do anything
 * with ConfigMaps there and nothing else (namespace, account, Role and binding made by the admin).
 */
async function serviceAccountClient(server: ServerProcess, admin: KubeRestClient, ns: string): Promise<KubeRestClient> {
  await admin.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await admin.send('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bench' } });
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
  await admin.send('POST', `${rbac}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'configmaps' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }],
  });
  await admin.send('POST', `${rbac}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'bench-configmaps' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmaps' },
    subjects: [{ kind: 'ServiceAccount', name: 'bench' }],
  });
  const tokenRequest = await admin.json<{ status: { token: string } }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/bench/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });
  return new KubeRestClient(server.url, { ca: admin.identity.ca }, { maxSockets: concurrency }, tokenRequest.status.token);
}

async function benchmark(server: ServerProcess, client: KubeRestClient): Promise<void> {
  const startMem = server.memory();
  let objectsHeld = 0;
  const createNamespace = (name: string) => client.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  // CPU used by the server and by this load generator during a phase: on a 2-core machine a
  // server near 100% of one core is the bottleneck (it is single-threaded).
  const cpuShare = async <T,>(phase: () => Promise<T>) => {
    const server0 = server.cpuMs();
    const self0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await phase();
    const wallMs = performance.now() - t0;
    const self = process.cpuUsage(self0);
    const pct = (cpu: number) => `${Math.round((cpu / wallMs) * 100)}%`;
    const rss = (server.memory().rssMiB / MiB_PER_MB).toFixed(0);
    return { ...result, cpu: `server CPU ${pct(server.cpuMs() - server0)}, load generator CPU ${pct((self.user + self.system) / 1000)}, server RSS now ${rss} MB` };
  };
  const createMany = async (ns: string, count: number, as: KubeRestClient = client, firstIndex = 0) => {
    const result = await cpuShare(() => runLoad(count, concurrency, (i) => as.send('POST', cmPath(ns), configMap(cmName(firstIndex + i)))));
    objectsHeld += count;
    return result;
  };

  // 1. Creates/s.
  await createNamespace('bench-create');
  if (warmup > 0) {
    await createNamespace('bench-warmup');
    const warm = await createMany('bench-warmup', warmup);
    console.log(`  (warm-up: ${int(warmup)} creates at ${int(warmup / (warm.elapsedMs / 1000))}/s, not counted below)`);
  }
  const created = await createMany('bench-create', creates);
  const createRate = creates / (created.elapsedMs / 1000);
  const createLat = sortedCopy(created.latencies);
  report({ name: `creates/s (${int(creates)} x 1 KiB ConfigMap, ${concurrency} clients)`, value: `${int(createRate)}/s`, target: '>= 5,000/s', met: createRate >= 5000 });
  report({ name: 'create latency p50 / p99', value: `${ms(percentile(createLat, 50))} / ${ms(percentile(createLat, 99))}`, target: '' });
  console.log(`  (${created.cpu})`);

  // 2. GETs of random existing objects.
  const getMany = (ns: string, as: KubeRestClient) => cpuShare(() => runLoad(gets, concurrency, () => as.send('GET', `${cmPath(ns)}/${cmName(Math.floor(Math.random() * creates))}`)));
  let adminGetP50 = 0;
  if (creates > 0 && gets > 0) {
    const got = await getMany('bench-create', client);
    const getLat = sortedCopy(got.latencies);
    adminGetP50 = percentile(getLat, 50);
    report({
      name: `get latency p50 / p99 (${int(gets)} random, ${concurrency} clients)`,
      value: `${ms(adminGetP50)} / ${ms(percentile(getLat, 99))} (${int(gets / (got.elapsedMs / 1000))}/s)`,
      target: '',
    });
    console.log(`  (${got.cpu})`);
  }

  // 2b. The same creates and GETs as an RBAC-limited service account, against the admin. Measured
  // in alternating rounds (admin, RBAC, RBAC, admin, ...) on the same server state, so neither side
  // profits from a warmer JIT or pays for a bigger heap and database: the ratio compares like with like.
  if (!values['skip-rbac'] && creates > 0) {
    const rbacClient = await serviceAccountClient(server, client, 'bench-rbac');
    await createNamespace('bench-pair');
    try {
      const rounds = 8;
      const perRound = Math.max(1, Math.floor(creates / rounds));
      const totals = { admin: { ms: 0, lat: [] as number[] }, rbac: { ms: 0, lat: [] as number[] } };
      const cpu: string[] = [];
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? (['admin', 'rbac'] as const) : (['rbac', 'admin'] as const);
        for (const who of order) {
          const r = await createMany(who === 'admin' ? 'bench-pair' : 'bench-rbac', perRound, who === 'admin' ? client : rbacClient, round * perRound);
          totals[who].ms += r.elapsedMs;
          for (const v of r.latencies) totals[who].lat.push(v);
          if (who === 'rbac') cpu.push(r.cpu);
        }
      }
      const rate = (t: { ms: number }) => (perRound * rounds) / (t.ms / 1000);
      const rbacLat = sortedCopy(totals.rbac.lat);
      report({ name: `RBAC user creates/s (${int(perRound * rounds)}, token + Role; admin in the same rounds: ${int(rate(totals.admin))}/s)`, value: `${int(rate(totals.rbac))}/s`, target: '' });
      report({ name: 'RBAC user create latency p50 / p99', value: `${ms(percentile(rbacLat, 50))} / ${ms(percentile(rbacLat, 99))}`, target: '' });
      console.log(`  (last RBAC round: ${cpu[cpu.length - 1]})`);
      const createRatio = rate(totals.rbac) / rate(totals.admin);
      report({ name: 'creates/s ratio RBAC user / admin', value: createRatio.toFixed(2), target: '>= 0.85', met: createRatio >= 0.85 });
      if (gets > 0) {
        const perGetRound = Math.max(1, Math.floor(gets / rounds));
        const getLat = { admin: [] as number[], rbac: [] as number[] };
        for (let round = 0; round < rounds; round++) {
          const order = round % 2 === 0 ? (['admin', 'rbac'] as const) : (['rbac', 'admin'] as const);
          for (const who of order) {
            const ns = who === 'admin' ? 'bench-pair' : 'bench-rbac';
            const as = who === 'admin' ? client : rbacClient;
            const r = await runLoad(perGetRound, concurrency, () => as.send('GET', `${cmPath(ns)}/${cmName(Math.floor(Math.random() * perRound * rounds))}`));
            for (const v of r.latencies) getLat[who].push(v);
          }
        }
        const rbacGets = sortedCopy(getLat.rbac);
        const adminP50 = percentile(sortedCopy(getLat.admin), 50);
        const rbacP50 = percentile(rbacGets, 50);
        report({ name: `RBAC user get latency p50 / p99 (admin p50 in the same rounds: ${ms(adminP50)})`, value: `${ms(rbacP50)} / ${ms(percentile(rbacGets, 99))}`, target: '' });
        const getRatio = adminP50 / rbacP50;
        report({ name: 'get p50 ratio admin / RBAC user (speed)', value: getRatio.toFixed(2), target: '>= 0.85', met: getRatio >= 0.85 });
      }
    } finally {
      rbacClient.close();
    }
  }

  // 3. Full list of a namespace holding listSize objects.
  await createNamespace('bench-list');
  await createMany('bench-list', listSize);
  const received: number[] = [];
  const parsed: number[] = [];
  let items = 0;
  for (let run = 0; run < 5; run++) {
    const t = performance.now();
    const res = await client.send('GET', cmPath('bench-list'));
    received.push(performance.now() - t);
    items = (JSON.parse(res.body.toString('utf8')) as { items: unknown[] }).items.length;
    parsed.push(performance.now() - t);
  }
  if (items !== listSize) throw new Error(`list returned ${items} items, expected ${listSize}`);
  console.log(`  (server RSS after the lists: ${(server.memory().rssMiB / MiB_PER_MB).toFixed(0)} MB)`);
  const listMs = median(received);
  report({ name: `list ${int(listSize)} received (median of 5)`, value: ms(listMs), target: '<= 150 ms', met: listMs <= 150 });
  report({ name: `list ${int(listSize)} received+parsed (median of 5)`, value: ms(median(parsed)), target: '<= 150 ms', met: median(parsed) <= 150 });

  // 4. Watch delivery latency with many watchers.
  if (watcherCount > 0 && watchEvents > 0) {
    await createNamespace('bench-watch');
    const listRv = (await client.json<{ metadata: { resourceVersion: string } }>('GET', `${cmPath('bench-watch')}?limit=1`)).metadata.resourceVersion;
    const fleet = await openWatchers(client, `${cmPath('bench-watch')}?watch=true&resourceVersion=${listRv}`, watcherCount);
    try {
      const sent = await cpuShare(async () => {
        const load = await runLoad(
          watchEvents,
          concurrency,
          (i) => client.send('POST', cmPath('bench-watch'), configMap(cmName(i), { sentAt: nowMs().toFixed(3) })),
          { perSecond: watchRate || undefined },
        );
        await fleet.waitForAll(watchEvents, 60_000);
        return load;
      });
      objectsHeld += watchEvents;
      const lat = sortedCopy(fleet.latencies());
      const p99 = percentile(lat, 99);
      report({
        name: `watch delivery p50 / p99 (${watcherCount} watchers x ${int(watchEvents)} events @ ${int(watchEvents / (sent.elapsedMs / 1000))} creates/s)`,
        value: `${ms(percentile(lat, 50))} / ${ms(p99)} (max ${ms(lat[lat.length - 1]!)})`,
        target: 'p99 <= 50 ms',
        met: p99 <= 50,
      });
      console.log(`  (${sent.cpu})`);
    } finally {
      fleet.close();
    }
  }

  // 5. RSS holding targetObjects ConfigMaps.
  report({ name: 'server RSS at start', value: `${(startMem.rssMiB / MiB_PER_MB).toFixed(0)} MB`, target: '' });
  if (!values['skip-rss'] && targetObjects > 0) {
    const missing = targetObjects - objectsHeld;
    if (missing > 0) {
      await createNamespace('bench-fill');
      const fill = await createMany('bench-fill', missing);
      console.log(`  (filled ${int(missing)} more objects at ${int(missing / (fill.elapsedMs / 1000))}/s; ${fill.cpu})`);
    }
    // Let in-flight garbage settle: the server is idle now, V8 gets a chance to collect.
    await new Promise((r) => setTimeout(r, 2000));
    const mem = server.memory();
    const rssMB = mem.rssMiB / MiB_PER_MB;
    report({ name: `server RSS with ${int(objectsHeld)} objects`, value: `${rssMB.toFixed(0)} MB (peak ${(mem.peakMiB / MiB_PER_MB).toFixed(0)} MB)`, target: '<= 400 MB', met: rssMB <= 400 });
  }

  if (values['heap-snapshot']) console.log(`server heap snapshot: ${await server.heapSnapshot()}`);
  console.log(`\nsummary (storage=${storage}):\n${formatTable(figures)}`);
}
