/**
 * The gateway's xDS control plane under a domain with many peers.
 *
 *   npm run bench:xds -- [--peers 1000] [--services 20] [--changes 200] [--side-changes 30]
 *       [--clients 1,10,50] [--delta-clients 10] [--rebuild-changes 5] [--rounds 10]
 *
 * State: domain alice with `--peers` peers, each with a DomainRoute out (Token, one HTTP port, its
 * current token) and a DomainRoute in (two accepted token revisions), plus `--services` local
 * services (2 endpoints each). Peer clusters point at a local HTTP server that answers their
 * health checks, as healthy peer gateways would.
 *
 * 1. Rebuild costs (no server): state → buildGatewayResources → buildSnapshot, the snapshot split
 *    into protobuf encoding per type and hashing, and what the built-in data plane spends on one
 *    RDS push (decode, compile); bytes per type. Medians of `--rounds`.
 * 2. Full push: setSnapshot (+ flush, as the gateway) → every stream ACKed all four types, to the
 *    built-in data plane in this process (it binds the two listeners and creates every cluster) and
 *    to `--clients` raw ADS clients in a child process (each on its own connection, ACKing without
 *    decoding). Bytes pushed per type.
 * 3. One route change at a time (a peer's token rotates: even changes the token we send, odd ones a
 *    token we accept): time from the change (before the rebuild) to the ACK of the new RDS version,
 *    p50 / p90 / p99 / max against the 100 ms target, with its parts (encode, debounce wait, push →
 *    ACK), bytes and pushes per change per type, CPU per change. Rows: the data plane with the
 *    gateway's settings (pkg/gateway/gateway.ts: quiet 20 ms, max 200 ms, and flush() right after
 *    setSnapshot), then without the flush (quiet 20 / 10 / 0 ms, the server default 100 ms / 1 s);
 *    raw SotW fleets (fleet latency = the last stream's ACK), a raw delta fleet, and the data plane
 *    fed from DomainRoute objects through routesToState (tokens decrypted once and cached, as the gateway
 *    rebuilds today).
 *
 * Timing is taken on the control plane's side (server observer), where the gateway waits for ACKs.
 * It prints figures and never fails on a missed target (MISSED).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { freePort } from '../../pkg/modules/free-port.ts';
import { loadEnvoyProtos, PUSH_ORDER, TypeUrl } from '../../pkg/gateway/xds/envoy-protos.ts';
import { buildGatewayResources, serviceClusterName } from '../../pkg/gateway/xds/resources/index.ts';
import { buildSnapshot, DEFAULT_DEBOUNCE, loadAdsService, type DebounceOptions } from '../../pkg/gateway/xds/server/index.ts';
import { formatFigureLine, formatTable, int, ms, type Figure } from '../apiserver/stats.ts';
import { intFlag } from '../common/int-flag.ts';
import { domainRouteSource, stateSource, type ChangeSource } from './change-sources.ts';
import type { LargeStateOptions } from './large-state.ts';
import { fullPush, routeChanges, type ChangeRun } from './measure.ts';
import { measureRebuildCosts } from './rebuild-costs.ts';
import { distribution, formatDistribution, formatMedian, formatPushed, formatSizes, kb, short } from './report.ts';
import { startRig, type Consumer, type Rig } from './rig.ts';

const { values } = parseArgs({
  options: {
    peers: { type: 'string', default: '1000' },
    services: { type: 'string', default: '20' },
    changes: { type: 'string', default: '200' },
    'side-changes': { type: 'string', default: '30' },
    clients: { type: 'string', default: '1,10,50' },
    'delta-clients': { type: 'string', default: '10' },
    'rebuild-changes': { type: 'string', default: '5' },
    rounds: { type: 'string', default: '10' },
  },
});
const num = (name: string, min: number) => intFlag(values, name, min);
const peers = num('peers', 1);
const serviceCount = num('services', 0);
const changes = num('changes', 1);
const sideChanges = num('side-changes', 0);
const deltaClients = num('delta-clients', 0);
const rebuildChanges = num('rebuild-changes', 0);
const rounds = num('rounds', 1);
const clientCounts = (values.clients ?? '').split(',').filter(Boolean).map(Number);
if (clientCounts.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('--clients must be a comma-separated list of integers >= 1');

const TARGET_MS = 100;
const GATEWAY_DEBOUNCE: DebounceOptions = { quietMs: 20, maxMs: 200 };
const HEALTH_SETTLE_TIMEOUT_MS = 30_000;
const log = pino({ level: process.env['BENCH_LOG_LEVEL'] ?? 'silent' });

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}; load average ${load()}`,
);
console.log(
  `config: peers=${int(peers)} (a DomainRoute out and in per peer: ${int(2 * peers)} DomainRoutes) services=${serviceCount} changes=${changes} side-changes=${sideChanges} ` +
    `clients=${clientCounts.join(',')} delta-clients=${deltaClients} rebuild-changes=${rebuildChanges} rounds=${rounds}; ` +
    `control plane and built-in data plane in this process, raw ADS clients in a child process`,
);

// Healthy peer gateways: the peer clusters' health checks (GET <prefix>/handshake) get 200.
// The data plane checks every peer cluster at once when it gets them (no initial jitter): a backlog
// above Node's default 511 keeps those checks from timing out in the SYN queue.
const peerGateway: Server = createServer((_req, res) => res.end());
await new Promise<void>((resolve) => peerGateway.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve()));
const peerPort = (peerGateway.address() as AddressInfo).port;
const stateOptions: LargeStateOptions = {
  peers,
  services: serviceCount,
  ports: { internal: await freePort(), external: await freePort(), handshake: peerPort },
  peerHost: '127.0.0.1',
  peerPort,
};

const [protos, ads] = await Promise.all([loadEnvoyProtos(), loadAdsService()]);
const figures: Figure[] = [];
/** Prints a figure (kept for the summary table) and detail lines under it (console only). */
const report = (f: Figure, ...details: string[]) => {
  figures.push(f);
  console.log(formatFigureLine(f));
  for (const d of details) console.log(`  ${d}`);
};
const rigs = new Set<Rig>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
process.on('exit', () => {
  // Last resort (an exception, Ctrl-C): the fleet children must not outlive the run.
  for (const rig of rigs) rig.killNow();
});

try {
  await main();
} catch (err) {
  console.error(`bench:xds failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  for (const rig of [...rigs]) await rig.stop().catch(() => undefined);
  peerGateway.close();
}
process.exit();

async function main(): Promise<void> {
  // --- 1. Rebuild costs ---
  console.log('\n1. rebuild costs (medians; no server)');
  const direct = measureRebuildCosts(protos, stateSource(stateOptions), rounds);
  const totalBytes = direct.sizes.reduce((n, s) => n + s.bytes, 0);
  report({ name: 'snapshot: resources, bytes', value: `${int(direct.sizes.reduce((n, s) => n + s.resources, 0))}, ${kb(totalBytes)}`, target: '' }, formatSizes(direct.sizes));
  report(
    { name: 'encode: buildGatewayResources + buildSnapshot', value: `${ms(direct.buildMs + direct.snapshotMs)} (build ${ms(direct.buildMs)}, snapshot ${ms(direct.snapshotMs)})`, target: '' },
    `snapshot = protobuf encode ${PUSH_ORDER.map((t) => `${short(t)} ${ms(direct.encodeMsByType.get(t)!)}`).join(', ')}; sha256 of every resource ${ms(direct.hashMs)}`,
  );
  for (const [name, r] of direct.routeConfigs) {
    report({ name: `data plane: decode + compile ${name} (${kb(r.bytes)})`, value: `${ms(r.decodeMs + r.compileMs)} (decode ${ms(r.decodeMs)}, compile ${ms(r.compileMs)})`, target: '' });
  }
  if (rebuildChanges > 0) {
    const fromRoutes = measureRebuildCosts(protos, domainRouteSource(stateOptions), 2);
    report({ name: `state from ${int(2 * peers)} DomainRoutes (routesToState)`, value: ms(fromRoutes.stateMs), target: '' }, `tokens decrypted once and cached across rebuilds (TokenCache), as pkg/gateway/gateway.ts does`);
  }

  // --- 2 and 3, per setup: a fresh server and consumer, the full push, then the route changes ---
  const state = () => stateSource(stateOptions);
  const rows: Row[] = [{ label: 'data plane, gateway settings (quiet 20 ms, max 200 ms, flush after setSnapshot)', short: 'data plane, gateway settings', consumer: { kind: 'dataplane' }, debounce: GATEWAY_DEBOUNCE, flush: true, source: state, changes, headline: true }];
  if (sideChanges > 0) {
    for (const debounce of [GATEWAY_DEBOUNCE, { quietMs: 10, maxMs: 200 }, { quietMs: 0, maxMs: 0 }, DEFAULT_DEBOUNCE]) {
      const setting = `quiet ${debounce.quietMs} ms${debounce === DEFAULT_DEBOUNCE ? ' (server default)' : ''}`;
      rows.push({ label: `data plane, debounce ${setting}, max ${debounce.maxMs} ms, no flush`, short: `data plane, ${setting}, no flush`, consumer: { kind: 'dataplane' }, debounce, flush: false, source: state, changes: sideChanges });
    }
    for (const clients of clientCounts) {
      rows.push({ label: `${clients} raw SotW client(s), gateway settings`, short: `${clients} raw SotW, gateway settings`, consumer: { kind: 'raw', clients, variant: 'sotw' }, debounce: GATEWAY_DEBOUNCE, flush: true, source: state, changes: sideChanges });
    }
    if (deltaClients > 0) {
      rows.push({ label: `${deltaClients} raw delta client(s), gateway settings`, short: `${deltaClients} raw delta, gateway settings`, consumer: { kind: 'raw', clients: deltaClients, variant: 'delta' }, debounce: GATEWAY_DEBOUNCE, flush: true, source: state, changes: sideChanges });
    }
  }
  if (rebuildChanges > 0) {
    rows.push({ label: 'data plane, gateway settings, state from DomainRoutes through routesToState (the whole gateway rebuild)', short: 'data plane, gateway rebuild incl. routesToState', consumer: { kind: 'dataplane' }, debounce: GATEWAY_DEBOUNCE, flush: true, source: () => domainRouteSource(stateOptions), changes: rebuildChanges });
  }

  const edsNames = Array.from({ length: serviceCount }, (_, i) => serviceClusterName(`job-${String(i).padStart(3, '0')}-fed`));
  let dataPlaneFullPushReported = false;
  for (const row of rows) {
    console.log(`\n${row.label}`);
    const rig = await startRig({ protos, ads, log, debounce: row.debounce, consumer: row.consumer, edsNames });
    rigs.add(rig);
    try {
      const source = row.source();
      const snapshot = buildSnapshot(protos, buildGatewayResources(source.state()).resources);
      const push = await fullPush(rig, snapshot);
      const pushed = [...push.counters.values()].reduce((n, c) => n + c.bytes, 0);
      const who = row.consumer.kind === 'dataplane' ? 'data plane' : `${row.consumer.clients} raw ${row.consumer.variant}`;
      const pushFigure: Figure = { name: `full push -> ${who}: all types ACKed, bytes pushed`, value: `${ms(push.ms)}, ${kb(pushed)}`, target: '' };
      const pushDetails = [
        `ACKed by the slowest stream: ${PUSH_ORDER.map((t) => `${short(t)} ${ms(push.ackMsByType.get(t)!)}`).join(', ')}`,
        `pushed ${formatPushed(push.counters)}`,
        `CPU: ${ms(push.cpuMs.self)} this process${row.consumer.kind === 'raw' ? `, ${ms(push.cpuMs.fleet)} fleet process` : ' (control plane and data plane)'}`,
      ];
      if (row.consumer.kind === 'raw' || !dataPlaneFullPushReported) report(pushFigure, ...pushDetails);
      else console.log(`  (${formatFigureLine(pushFigure)})`);
      if (rig.dataPlane) {
        const settled = await healthChecksSettled(rig, push.ms);
        if (!dataPlaneFullPushReported) console.log(`  every peer cluster health-checked once ${settled} (the checks run in this process; changes start after them)`);
        dataPlaneFullPushReported = true;
      }

      const run = await routeChanges(rig, protos, source, { changes: row.changes, flush: row.flush });
      reportChanges(row, run);
      if (rig.tracker.nacks.length > 0) console.log(`  NACKs: ${rig.tracker.nacks.length}; last: ${rig.tracker.nacks.at(-1)!.message}`);
    } finally {
      await rig.stop();
      rigs.delete(rig);
    }
  }

  console.log(`\nload average at the end: ${load()}`);
  console.log(`\nsummary (peers=${int(peers)}: ${int(2 * peers)} DomainRoutes, services=${serviceCount}, changes=${changes}, side-changes=${sideChanges}; latencies p50 / p90 / p99 / max):\n${formatTable(figures)}`);
}

interface Row {
  /** The section heading. */
  label: string;
  /** The row's name in the summary table. */
  short: string;
  consumer: Consumer;
  debounce: DebounceOptions;
  flush: boolean;
  source: () => ChangeSource;
  changes: number;
  /** The acceptance figure's row: its bytes per change go in the summary. */
  headline?: boolean;
}

function reportChanges(row: Row, run: ChangeRun): void {
  const { consumer } = row;
  const n = run.samples.length;
  const streams = consumer.kind === 'raw' ? consumer.clients : 1;
  // A fleet has the change when its last stream ACKed it.
  const d = distribution(run.samples.map((s) => Math.max(...s.ackMs)));
  const parts = [
    `state ${formatMedian(run.samples.map((s) => s.stateMs))}`,
    `encode ${formatMedian(run.samples.map((s) => s.encodeMs))}`,
    `debounce wait ${formatMedian(run.samples.map((s) => s.debounceMs))}`,
    `push -> ACK ${formatMedian(run.samples.flatMap((s) => s.pushToAckMs))}`,
  ];
  if (streams > 1) parts.push(`one stream's change -> ACK ${formatMedian(run.samples.flatMap((s) => s.ackMs))}`);
  // SotW resends both route tables; the data plane recompiles only the one whose bytes changed.
  const byRoute = [...new Set(run.samples.map((s) => s.routeConfig))].map((name) => {
    const of = run.samples.filter((s) => s.routeConfig === name);
    const rd = distribution(of.map((s) => Math.max(...s.ackMs)));
    return `${name} changed (${of.length}): ${formatDistribution(rd)}`;
  });
  report(
    {
      name: `change -> ACK${streams > 1 ? ' (last stream)' : ''}: ${row.short} (${n})`,
      value: formatDistribution(d),
      target: consumer.kind === 'dataplane' ? `p99 <= ${TARGET_MS} ms` : '',
      met: consumer.kind === 'dataplane' ? d.p99 <= TARGET_MS : undefined,
    },
    `medians: ${parts.join(', ')}`,
    `by the route table that changed, p50 / p90 / p99 / max: ${byRoute.join('; ')}`,
    `pushed per change (${streams} stream${streams > 1 ? 's' : ''}): ${formatPushed(run.counters, n)}`,
    `CPU per change: ${ms(run.cpuMs.self / n)} this process${consumer.kind === 'dataplane' ? ' (control plane and data plane)' : `, ${ms(run.cpuMs.fleet / n)} fleet process`}`,
  );
  const rds = run.counters.get(TypeUrl.RouteConfiguration)!;
  const others = PUSH_ORDER.filter((t) => t !== TypeUrl.RouteConfiguration).reduce((k, t) => k + run.counters.get(t)!.pushes, 0);
  if (row.headline || (consumer.kind === 'raw' && consumer.variant === 'delta')) {
    report({ name: `bytes of one change push, per ${consumer.kind === 'raw' ? consumer.variant : 'SotW'} stream`, value: `RDS ${kb(rds.bytes / n / streams)}, CDS/EDS/LDS pushes ${others}`, target: '' });
  }
}

/** Waits until every cluster with health checks was checked once; returns how long after the push that was. */
async function healthChecksSettled(rig: Rig, pushMs: number): Promise<string> {
  const started = performance.now();
  for (;;) {
    const checked = rig.dataPlane!.stats().clusters.filter((c) => c.healthChecks.attempts > 0);
    const pending = rig.dataPlane!.stats().clusters.filter((c) => c.name.includes('-to-') && c.healthChecks.attempts === 0);
    if (pending.length === 0) {
      const healthy = checked.filter((c) => c.membershipHealthy === c.membershipTotal).length;
      return `${ms(pushMs + performance.now() - started)} after the push started (${healthy} of ${checked.length} healthy)`;
    }
    if (performance.now() - started > HEALTH_SETTLE_TIMEOUT_MS) return `- not within ${HEALTH_SETTLE_TIMEOUT_MS} ms (${pending.length} unchecked)`;
    await new Promise((r) => setTimeout(r, 20));
  }
}
