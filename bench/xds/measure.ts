/**
 * The two measurements on a rig: the full push of a snapshot to consumers that have nothing yet,
 * and a series of single-DomainRoute changes, each timed from the change to the consumers' ACK of
 * the new RouteConfiguration version.
 */
import { PUSH_ORDER, TypeUrl, type EnvoyProtos } from '../../pkg/gateway/xds/envoy-protos.ts';
import { buildGatewayResources } from '../../pkg/gateway/xds/resources/index.ts';
import { EncodeCache } from '../../pkg/gateway/xds/encode-cache.ts';
import { buildSnapshot, type Snapshot, type XdsTypeCounters } from '../../pkg/gateway/xds/server/index.ts';
import type { ExpectedVersions } from './ack-tracker.ts';
import type { ChangeSource } from './change-sources.ts';
import { NODE_GROUP, type Rig } from './rig.ts';

const ACK_TIMEOUT_MS = 60_000;

export function expectedVersions(snapshot: Snapshot, types: readonly string[] = PUSH_ORDER): ExpectedVersions {
  return new Map(types.map((t) => [t, snapshot.get(t)?.version ?? '']));
}

/** Pushes, ACKs and bytes per type URL between two server counter snapshots. */
export function countersDelta(before: Record<string, XdsTypeCounters>, after: Record<string, XdsTypeCounters>): Map<string, XdsTypeCounters> {
  return new Map(
    PUSH_ORDER.map((t) => {
      const a = after[t] ?? { pushes: 0, acks: 0, nacks: 0, bytes: 0 };
      const b = before[t] ?? { pushes: 0, acks: 0, nacks: 0, bytes: 0 };
      return [t, { pushes: a.pushes - b.pushes, acks: a.acks - b.acks, nacks: a.nacks - b.nacks, bytes: a.bytes - b.bytes }];
    }),
  );
}

export interface FullPush {
  /** setSnapshot → the last consumer ACKed the last type, ms. */
  ms: number;
  /** Per type: setSnapshot → the slowest consumer's ACK of it, ms. */
  ackMsByType: Map<string, number>;
  counters: Map<string, XdsTypeCounters>;
  cpuMs: { self: number; fleet: number };
}

/** Sets the snapshot (flushing it, as pkg/gateway/gateway.ts does) and waits until every stream ACKed every type. */
export async function fullPush(rig: Rig, snapshot: Snapshot): Promise<FullPush> {
  const expected = expectedVersions(snapshot);
  const before = rig.server.counters();
  const cpu0 = rig.cpuMs();
  const t0 = performance.now();
  rig.server.setSnapshot(NODE_GROUP, snapshot);
  rig.server.flush();
  await rig.tracker.waitFor(() => rig.tracker.allAcked(expected), ACK_TIMEOUT_MS, () => rig.tracker.describe(expected));
  const ms = performance.now() - t0;
  const cpu1 = rig.cpuMs();
  const ackMsByType = new Map(
    PUSH_ORDER.map((t) => [t, Math.max(...rig.tracker.stamps(t, expected.get(t)!).map((s) => s.ackedAt - t0))]),
  );
  return { ms, ackMsByType, counters: countersDelta(before, rig.server.counters()), cpuMs: { self: cpu1.self - cpu0.self, fleet: cpu1.fleet - cpu0.fleet } };
}

export interface ChangeSample {
  /** The RouteConfiguration whose content changed (the other one is resent unchanged in SotW). */
  routeConfig: string;
  /** The state before the builders (DomainRoutes → state, or the state directly), ms. */
  stateMs: number;
  /** buildGatewayResources + buildSnapshot, ms. */
  encodeMs: number;
  /** setSnapshot → the server pushed the route update to the first stream (the debounce wait), ms. */
  debounceMs: number;
  /** Change → each stream's ACK of the new RouteConfiguration version, ms. */
  ackMs: number[];
  /** Push → ACK per stream (wire both ways, the consumer's decode and apply), ms. */
  pushToAckMs: number[];
}

export interface ChangeRun {
  samples: ChangeSample[];
  counters: Map<string, XdsTypeCounters>;
  cpuMs: { self: number; fleet: number };
}

export interface ChangeOptions {
  changes: number;
  /** Call flush() right after setSnapshot, as pkg/gateway/gateway.ts does; otherwise the debounce timer decides. */
  flush: boolean;
}

/**
 * One change at a time: rotate one DomainRoute's token, rebuild state → resources → snapshot (as the
 * gateway's rebuild does), set it, and wait until every stream ACKed the new RDS version before the
 * next change.
 */
export async function routeChanges(rig: Rig, protos: EnvoyProtos, source: ChangeSource, options: ChangeOptions): Promise<ChangeRun> {
  const samples: ChangeSample[] = [];
  const before = rig.server.counters();
  const cpu0 = rig.cpuMs();
  // As pkg/gateway/gateway.ts: one encode cache across rebuilds, so unchanged resources keep their bytes.
  const encodeCache = new EncodeCache();
  for (let n = 0; n < options.changes; n++) {
    const { routeConfig } = source.change(n);
    const t0 = performance.now();
    const state = source.state();
    const t1 = performance.now();
    const snapshot = buildSnapshot(protos, buildGatewayResources(state).resources.map((r) => encodeCache.encode(protos, r)));
    encodeCache.sweep();
    const t2 = performance.now();
    rig.server.setSnapshot(NODE_GROUP, snapshot);
    if (options.flush) rig.server.flush();
    const expected = expectedVersions(snapshot, [TypeUrl.RouteConfiguration]);
    await rig.tracker.waitFor(() => rig.tracker.allAcked(expected), ACK_TIMEOUT_MS, () => `change ${n}: ${rig.tracker.describe(expected)}`);
    const stamps = rig.tracker.stamps(TypeUrl.RouteConfiguration, expected.get(TypeUrl.RouteConfiguration)!);
    samples.push({
      routeConfig,
      stateMs: t1 - t0,
      encodeMs: t2 - t1,
      debounceMs: Math.min(...stamps.map((s) => s.pushedAt)) - t2,
      ackMs: stamps.map((s) => s.ackedAt - t0),
      pushToAckMs: stamps.map((s) => s.ackedAt - s.pushedAt),
    });
  }
  const cpu1 = rig.cpuMs();
  return { samples, counters: countersDelta(before, rig.server.counters()), cpuMs: { self: cpu1.self - cpu0.self, fleet: cpu1.fleet - cpu0.fleet } };
}
