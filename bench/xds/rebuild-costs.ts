/**
 * Where a rebuild's CPU goes, stage by stage, measured outside any server: the state (from
 * DomainRoutes or direct), the resource builders, the snapshot (protobuf encoding per type, then
 * hashing), and on the consumer's side what the built-in data plane does with an RDS push (decode
 * the bytes, compile the route tables). Medians over `rounds` runs after one warm-up.
 */
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { CompileContext } from '../../pkg/gateway/dataplane/config/compile-context.ts';
import { CompiledRouteConfig } from '../../pkg/gateway/dataplane/config/route-config.ts';
import { PUSH_ORDER, TypeUrl, type EnvoyProtos } from '../../pkg/gateway/xds/envoy-protos.ts';
import { buildGatewayResources } from '../../pkg/gateway/xds/resources/index.ts';
import { buildSnapshot } from '../../pkg/gateway/xds/server/index.ts';
import { median } from '../apiserver/stats.ts';
import type { ChangeSource } from './change-sources.ts';

export interface TypeSize {
  typeUrl: string;
  resources: number;
  bytes: number;
}

export interface RebuildCosts {
  /** ms per stage (medians). */
  stateMs: number;
  buildMs: number;
  snapshotMs: number;
  /** Of the snapshot: protobufjs fromObject + encode, per type URL. */
  encodeMsByType: Map<string, number>;
  /** Of the snapshot: sha256 of every resource's bytes (content versions). */
  hashMs: number;
  /** Data plane side of an RDS push, per RouteConfiguration: protobuf decode (to objects) and route-table compile. */
  routeConfigs: Map<string, { bytes: number; decodeMs: number; compileMs: number }>;
  sizes: TypeSize[];
}

const time = (f: () => void): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

export function measureRebuildCosts(protos: EnvoyProtos, source: ChangeSource, rounds: number): RebuildCosts {
  const samples = { state: [] as number[], build: [] as number[], snapshot: [] as number[], hash: [] as number[] };
  const routeSamples = new Map<string, { bytes: number; decode: number[]; compile: number[] }>();
  const encodeByType = new Map<string, number[]>(PUSH_ORDER.map((t) => [t, []]));
  const ctx = new CompileContext(pino({ level: 'silent' }));
  let sizes: TypeSize[] = [];
  for (let round = 0; round <= rounds; round++) {
    const warm = round > 0;
    let state!: ReturnType<ChangeSource['state']>;
    const stateMs = time(() => (state = source.state()));
    let resources!: ReturnType<typeof buildGatewayResources>['resources'];
    const buildMs = time(() => (resources = buildGatewayResources(state).resources));
    let snapshot!: ReturnType<typeof buildSnapshot>;
    const snapshotMs = time(() => (snapshot = buildSnapshot(protos, resources)));
    // The snapshot's two parts, taken apart: encoding each type, hashing every resource.
    const encoded: Uint8Array[] = [];
    for (const typeUrl of PUSH_ORDER) {
      const ofType = resources.filter((r) => r.typeUrl === typeUrl);
      const ms = time(() => {
        for (const r of ofType) encoded.push(protos.encode(r));
      });
      if (warm) encodeByType.get(typeUrl)!.push(ms);
    }
    const hashMs = time(() => {
      for (const bytes of encoded) createHash('sha256').update(bytes).digest('base64url');
    });
    for (const route of snapshot.get(TypeUrl.RouteConfiguration)?.resources.values() ?? []) {
      let body: Record<string, unknown> = {};
      const decodeMs = time(() => (body = protos.decode(TypeUrl.RouteConfiguration, route.any.value)));
      const compileMs = time(() => new CompiledRouteConfig(route.name, body, ctx));
      let s = routeSamples.get(route.name);
      if (!s) routeSamples.set(route.name, (s = { bytes: route.any.value.length, decode: [], compile: [] }));
      if (warm) {
        s.decode.push(decodeMs);
        s.compile.push(compileMs);
      }
    }
    if (warm) {
      samples.state.push(stateMs);
      samples.build.push(buildMs);
      samples.snapshot.push(snapshotMs);
      samples.hash.push(hashMs);
    }
    sizes = PUSH_ORDER.map((typeUrl) => {
      const all = [...(snapshot.get(typeUrl)?.resources.values() ?? [])];
      return { typeUrl, resources: all.length, bytes: all.reduce((n, r) => n + r.any.value.length, 0) };
    });
  }
  return {
    stateMs: median(samples.state),
    buildMs: median(samples.build),
    snapshotMs: median(samples.snapshot),
    encodeMsByType: new Map([...encodeByType].map(([t, v]) => [t, median(v)])),
    hashMs: median(samples.hash),
    routeConfigs: new Map([...routeSamples].map(([name, s]) => [name, { bytes: s.bytes, decodeMs: median(s.decode), compileMs: median(s.compile) }])),
    sizes,
  };
}
