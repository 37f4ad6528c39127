/**
 * The gateway's data path: requests from an alice app to a bob service through alice's gateway and
 * bob's gateway, against the same requests sent straight to the service (the reference, measured
 * in the same run).
 *
 *   npm run bench:gateway -- [--duration 4] [--warmup-ms 1000] [--concurrency 64]
 *       [--body-concurrency 8] [--body-mib 2] [--streams 1000] [--stream-messages 5]
 *       [--timeout 60] [--gateways process|inline] [--only 1a,1b,2,3a,3b] [--gateway-cpu-prof DIR]
 *
 * Set-up (network.ts): the embedded API server and the route controllers in this process; the
 * gateways of alice and bob (startGateway, built-in data plane) each in its own process by default,
 * as each domain's `kuscia start` runs it (`--gateways inline` puts them in this process: then one
 * event loop carries load, backends and both gateways); a token-authenticated ClusterDomainRoute
 * alice→bob made Ready by the RSA-GEN handshake; bob's backends in this process, registered as
 * Services with Running pods: an HTTP/1.1 echo server and a gRPC echo server (protocol GRPC, so the
 * gateway speaks HTTP/2 to it).
 *
 * Path through the gateways: client → alice's internal listener (Host / :authority
 * `<svc>.bob.svc:8080`) → bob's external listener (token checked) → bob's internal listener →
 * backend. Direct path: client → backend.
 *
 * 1. Small HTTP requests (GET, 100-byte reply), keep-alive: first one at a time (the latency the
 *    two gateways add to an unloaded request), then `--concurrency` connections for `--duration`
 *    seconds (requests/s, p50/p99 under load).
 * 2. `--body-mib` MiB request bodies POSTed and echoed back whole by the backend (so the bytes cross
 *    every hop twice), `--body-concurrency` at a time: MiB/s of request bodies, p50/p99 of the
 *    full exchange (first byte sent → last reply byte read).
 * 3. gRPC unary calls (128 bytes each way), `--concurrency` in flight on one channel: calls/s,
 *    p50/p99. Then `--streams` bidi streams opened at once on one channel, each echoing
 *    `--stream-messages` messages of 1 KiB one after another: all completed?, time until the last
 *    one ended, messages/s, per-stream duration p50/p99.
 *
 * Every measurement is closed-loop: a warm-up (`--warmup-ms`, not counted) flows straight into the
 * measured window. CPU per process is printed for each measurement. Figures only; nothing is
 * asserted. All state is in a temp directory removed at the end, also on failure or Ctrl-C.
 * `--gateway-cpu-prof DIR` writes a V8 CPU profile of each gateway process (whole run) into DIR;
 * summarise one with bench/apiserver/cpuprofile-summary.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { int, ms } from '../apiserver/stats.ts';
import { intFlag } from '../common/int-flag.ts';
import { readProcMemory } from '../common/proc-stats.ts';
import type { LoadWindow } from './closed-loop.ts';
import { formatComparisonTable, type ComparisonRow } from './comparison-table.ts';
import { compareLoad, compareStreams, requestRate, type ComparisonContext, type PathTarget } from './comparisons.ts';
import type { GatewayPlacement } from './gateway-instances.ts';
import { runStreams, runUnaryLoad } from './grpc-load.ts';
import { SMALL_REPLY } from './http-echo.ts';
import { runHttpLoad } from './http-load.ts';
import { GRPC_SERVICE_HOST, HTTP_SERVICE_HOST, startBenchNetwork, type BenchNetwork } from './network.ts';

const TEST_IDS = ['1a', '1b', '2', '3a', '3b'] as const;
type TestId = (typeof TEST_IDS)[number];

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '4' },
    'warmup-ms': { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
    'body-concurrency': { type: 'string', default: '8' },
    'body-mib': { type: 'string', default: '2' },
    streams: { type: 'string', default: '1000' },
    'stream-messages': { type: 'string', default: '5' },
    timeout: { type: 'string', default: '60' },
    gateways: { type: 'string', default: 'process' },
    'gateway-cpu-prof': { type: 'string' },
    only: { type: 'string', default: TEST_IDS.join(',') },
  },
});
const num = (name: string, min: number) => intFlag(values, name, min);
const durationMs = num('duration', 1) * 1000;
const warmupMs = num('warmup-ms', 0);
const concurrency = num('concurrency', 1);
const bodyConcurrency = num('body-concurrency', 1);
const bodyMiB = num('body-mib', 1);
const streamCount = num('streams', 1);
const streamMessages = num('stream-messages', 1);
const timeoutMs = num('timeout', 1) * 1000;
if (values.gateways !== 'process' && values.gateways !== 'inline') throw new Error('--gateways must be process or inline');
const placement: GatewayPlacement = values.gateways;
const only = values.only.split(',').map((id) => {
  if (!(TEST_IDS as readonly string[]).includes(id)) throw new Error(`--only takes test ids among ${TEST_IDS.join(',')}`);
  return id as TestId;
});
const cpuProfDir = values['gateway-cpu-prof'];
if (cpuProfDir && placement === 'inline') throw new Error('--gateway-cpu-prof needs --gateways process (profile this process with node --cpu-prof instead)');

const MiB = 2 ** 20;
const UNARY_PAYLOAD = Buffer.alloc(128, 'u');
const STREAM_PAYLOAD = Buffer.alloc(1024, 's');
const BODY = Buffer.alloc(bodyMiB * MiB, 'b');

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}`,
);
console.log(
  `config: duration=${durationMs / 1000}s warmup=${warmupMs}ms concurrency=${concurrency} body-concurrency=${bodyConcurrency} body=${bodyMiB} MiB ` +
    `streams=${streamCount}x${streamMessages} messages of ${STREAM_PAYLOAD.length} B, unary ${UNARY_PAYLOAD.length} B, timeout=${timeoutMs / 1000}s, tests ${only.join(",")}; ` +
    (placement === 'process'
      ? 'processes: gateway alice, gateway bob (built-in data plane, each its own process); API server, route controllers, backends and load generator in this process'
      : 'one process: API server, route controllers, both gateways (built-in data plane), backends and load generator'),
);

const work = mkdtempSync(join(tmpdir(), 'kuscia-bench-gateway-'));
let network: BenchNetwork | undefined;
process.on('exit', () => {
  network?.killNow();
  rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const rows: ComparisonRow[] = [];

try {
  await main();
  await network?.stop();
  process.exit(0);
} catch (err) {
  console.error(`bench:gateway failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  network?.killNow();
  process.exit(1);
}

async function main(): Promise<void> {
  const setupStart = performance.now();
  network = await startBenchNetwork({
    work,
    placement,
    logLevel: process.env['BENCH_LOG_LEVEL'] ?? 'silent',
    gatewayNodeFlags: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProfDir)}`] : [],
  });
  const net = network;
  const pids = net.gateways.map((g) => (g.pid ? `gateway ${g.domain} pid ${g.pid}` : `gateway ${g.domain} in this process`)).join(', ');
  console.log(`  (network up in ${ms(performance.now() - setupStart)}: ClusterDomainRoute alice-bob Ready, both services answer through the gateways; ${pids})`);
  console.log(`  gateway RSS before the load (now / peak): ${gatewayRss(net)}`);

  const direct: PathTarget = {
    http: { port: net.http.port, host: `127.0.0.1:${net.http.port}` },
    grpc: { address: `127.0.0.1:${net.grpc.port}`, authority: `127.0.0.1:${net.grpc.port}` },
  };
  const viaGateways: PathTarget = {
    http: { port: net.aliceInternalPort, host: HTTP_SERVICE_HOST },
    grpc: { address: `127.0.0.1:${net.aliceInternalPort}`, authority: GRPC_SERVICE_HOST },
  };
  const ctx: ComparisonContext = {
    paths: [
      { name: 'direct', target: direct },
      { name: 'gateways', target: viaGateways },
    ],
    gateways: net.gateways,
    selfLabel: placement === 'inline' ? 'this process (load, backends, API server, both gateways)' : 'this process (load, backends, API server)',
    warmupMs,
    durationMs,
    rows,
  };
  const smallGet = (c: number) => (t: PathTarget, window: LoadWindow) =>
    runHttpLoad({ ...t.http, method: 'GET', path: '/small', expectBytes: SMALL_REPLY.length, concurrency: c, ...window });

  const tests: Record<TestId, () => Promise<void>> = {
    '1a': () => compareLoad(ctx, '1a. small HTTP GETs, one at a time (keep-alive)', 'request', smallGet(1), requestRate('requests/s')),
    '1b': () => compareLoad(ctx, `1b. small HTTP GETs, ${concurrency} keep-alive connections`, 'request', smallGet(concurrency), requestRate('requests/s')),
    '2': () =>
      compareLoad(
        ctx,
        `2. ${bodyMiB} MiB bodies POSTed and echoed back, ${bodyConcurrency} at a time`,
        'request',
        (t, window) => runHttpLoad({ ...t.http, method: 'POST', path: '/echo', body: BODY, expectBytes: BODY.length, concurrency: bodyConcurrency, ...window }),
        { label: 'MiB/s of request bodies (as much again echoed)', of: (r) => (r.ok * bodyMiB * 1000) / r.elapsedMs, format: (v) => v.toFixed(1) },
      ),
    '3a': () =>
      compareLoad(ctx, `3a. gRPC unary calls, ${concurrency} in flight on one channel`, 'call', (t, window) => runUnaryLoad(t.grpc, { payload: UNARY_PAYLOAD, concurrency, ...window }), requestRate('calls/s')),
    '3b': () =>
      compareStreams(ctx, `3b. ${int(streamCount)} gRPC bidi streams at once, ${streamMessages} echoes of ${STREAM_PAYLOAD.length} B each`, (t) =>
        runStreams(t, { streams: streamCount, messages: streamMessages, payload: STREAM_PAYLOAD, timeoutMs }),
      ),
  };
  for (const id of only) await tests[id]();

  console.log(`\ngateway RSS after the load (now / peak): ${gatewayRss(net)}`);
  console.log(`\nsummary (duration=${durationMs / 1000}s concurrency=${concurrency} body=${bodyMiB} MiB x${bodyConcurrency} streams=${streamCount}x${streamMessages}, gateways=${placement}):\n${formatComparisonTable(rows)}`);
}

function gatewayRss(net: BenchNetwork): string {
  if (net.gateways.every((g) => !g.pid)) return `this process ${(process.memoryUsage.rss() / MiB).toFixed(0)} MiB (gateways inline)`;
  return net.gateways
    .map((g) => {
      const m = readProcMemory(g.pid!);
      return `gateway ${g.domain} ${m.rssMiB.toFixed(0)} / ${m.hwmMiB.toFixed(0)} MiB`;
    })
    .join(', ');
}
