/**
 * One measured setup: a fresh xDS control plane (startXdsServer with a given debounce) and its
 * consumers — the built-in data plane in this process (as `kuscia start` runs it, binding the
 * gateway's listeners) or a fleet of raw ADS clients in a child process. Pushes and ACKs are
 * stamped on the server (AckTracker).
 */
import type { Logger } from 'pino';
import { startDataPlane, type DataPlane } from '../../pkg/gateway/dataplane/index.ts';
import type { EnvoyProtos } from '../../pkg/gateway/xds/envoy-protos.ts';
import { RouteConfigName } from '../../pkg/gateway/xds/resources/index.ts';
import { startXdsServer, type AdsService, type DebounceOptions, type XdsServer } from '../../pkg/gateway/xds/server/index.ts';
import { AckTracker } from './ack-tracker.ts';
import { startRawFleet, type RawFleet } from './raw-fleet-process.ts';

export type Consumer = { kind: 'dataplane' } | { kind: 'raw'; clients: number; variant: 'sotw' | 'delta' };

export interface RigOptions {
  protos: EnvoyProtos;
  ads: AdsService;
  log: Logger;
  debounce: DebounceOptions;
  consumer: Consumer;
  /** EDS names the raw clients subscribe to (the data plane finds them in CDS itself). */
  edsNames: readonly string[];
}

export interface Rig {
  server: XdsServer;
  tracker: AckTracker;
  /** The in-process data plane, for the dataplane consumer. */
  dataPlane: DataPlane | undefined;
  /** Streams the consumer opens. */
  streams: number;
  /** CPU used so far by this process (control plane, and the data plane when in-process) and by the fleet process, ms. */
  cpuMs(): { self: number; fleet: number };
  stop(): Promise<void>;
  /** Synchronous last resort for process 'exit' handlers: kills the fleet child. */
  killNow(): void;
}

/** The gateway serves every data plane of the domain from one snapshot group (pkg/gateway/gateway.ts). */
export const NODE_GROUP = 'gateway';
const OPEN_TIMEOUT_MS = 30_000;
/** After the streams opened: lets their remaining subscription requests arrive before the clock starts. */
const SETTLE_MS = 200;

export async function startRig(options: RigOptions): Promise<Rig> {
  const tracker = new AckTracker();
  const server = await startXdsServer({ protos: options.protos, adsService: options.ads, log: options.log, debounce: options.debounce, nodeGroup: () => NODE_GROUP, observer: tracker });
  let dataPlane: DataPlane | undefined;
  let fleet: RawFleet | undefined;
  let streams: number;
  try {
    if (options.consumer.kind === 'dataplane') {
      dataPlane = await startDataPlane({ adsAddress: server.address, nodeId: 'alice-gw-0', protos: options.protos, log: options.log });
      streams = 1;
    } else {
      fleet = await startRawFleet({
        address: server.address,
        clients: options.consumer.clients,
        variant: options.consumer.variant,
        edsNames: options.edsNames,
        rdsNames: [RouteConfigName.Internal, RouteConfigName.External],
      });
      streams = options.consumer.clients;
    }
    await tracker.waitFor(() => tracker.openStreams() >= streams, OPEN_TIMEOUT_MS, () => `${tracker.openStreams()} of ${streams} streams opened`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
  } catch (err) {
    fleet?.killNow();
    await dataPlane?.stop();
    await server.stop();
    throw err;
  }
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  return {
    server,
    tracker,
    dataPlane,
    streams,
    cpuMs: () => ({ self: cpu(), fleet: fleet?.cpuMs() ?? 0 }),
    stop: async () => {
      await fleet?.stop();
      await dataPlane?.stop();
      await server.stop();
    },
    killNow: () => fleet?.killNow(),
  };
}
