import { Server, ServerCredentials, type ChannelOptions, type ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { EnvoyProtos } from '../envoy-protos.ts';
import { loadAdsService, type AdsService } from './ads-service.ts';
import { DEFAULT_DEBOUNCE, type DebounceOptions } from './debouncer.ts';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DiscoveryRequest, DiscoveryResponse, XdsNode } from './discovery-messages.ts';
import { SnapshotCache, type SnapshotInput } from './snapshot-cache.ts';
import { StreamSession, type StreamSessionDeps } from './stream-session.ts';
import { XdsCounters, type XdsServerObserver, type XdsStreamStatus, type XdsTypeCounters } from './xds-events.ts';

export interface XdsServerOptions {
  protos: EnvoyProtos;
  log: Logger;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port (see XdsServer.port). */
  port?: number;
  /** Default insecure, which is only fit for loopback; pass ServerCredentials.createSsl for TLS. */
  credentials?: ServerCredentials;
  /** How snapshot updates are coalesced into pushes; default 100 ms quiet, 1 s at most. */
  debounce?: Partial<DebounceOptions>;
  /** The snapshot group of a node; default its id. Nodes of a group without a snapshot use FALLBACK_NODE_GROUP's. */
  nodeGroup?: (node: XdsNode) => string;
  observer?: XdsServerObserver;
  /** ads.proto already loaded (tests share one); loaded on start otherwise. */
  adsService?: AdsService;
  /** gRPC server options, e.g. 'grpc.max_receive_message_length'. */
  grpcOptions?: ChannelOptions;
}

export interface XdsServer {
  /** The bound port. */
  readonly port: number;
  /** host:port, as an xDS bootstrap's server_uri wants it. */
  readonly address: string;
  /** Replaces a node group's resources; streams of that group get what changed after the debounce period. */
  setSnapshot(group: string, resources: SnapshotInput): void;
  /** Removes a group's snapshot; its nodes fall back to FALLBACK_NODE_GROUP's (or keep what they have). */
  clearSnapshot(group: string): void;
  /** Applies and pushes pending snapshot updates now. */
  flush(): void;
  /** Streams that named their node, with per-type sent/ACKed versions and the last NACK. */
  streams(): XdsStreamStatus[];
  /** Pushes, ACKs, NACKs and bytes per type URL since start. */
  counters(): Record<string, XdsTypeCounters>;
  /** Ends every stream (status OK) and stops listening. */
  stop(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 2000;

/**
 * The gateway's xDS control plane: Envoy's Aggregated Discovery Service, state of the world
 * (StreamAggregatedResources) and incremental (DeltaAggregatedResources), over @grpc/grpc-js.
 */
export async function startXdsServer(options: XdsServerOptions): Promise<XdsServer> {
  const log = options.log.child({ component: 'xds-server' });
  const ads = options.adsService ?? (await loadAdsService());
  const counters = new XdsCounters();
  const sessions = new Set<StreamSession>();
  const cache = new SnapshotCache({
    protos: options.protos,
    debounce: { ...DEFAULT_DEBOUNCE, ...options.debounce },
    log,
    onChange: (changed) => {
      for (const session of sessions) session.onGroupsChanged(changed);
    },
    onError: (group, error) => options.observer?.onSnapshotError?.({ group, error }),
  });
  let streamIds = 0;
  const deps = (): StreamSessionDeps => ({
    streamId: ++streamIds,
    log,
    counters,
    observer: options.observer ?? {},
    nodeGroup: options.nodeGroup ?? ((node) => node.id),
    snapshotFor: (group) => cache.snapshotFor(group),
    onClosed: (session) => sessions.delete(session),
  });

  const server = new Server(options.grpcOptions);
  server.addService(ads.definition, {
    StreamAggregatedResources: (call: ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => sessions.add(StreamSession.sotw(call, deps())),
    DeltaAggregatedResources: (call: ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>) => sessions.add(StreamSession.delta(call, deps())),
  });
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${options.port ?? 0}`, options.credentials ?? ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ address }, 'xDS server listening');

  return {
    port,
    address,
    setSnapshot: (group, resources) => cache.setSnapshot(group, resources),
    clearSnapshot: (group) => cache.clearSnapshot(group),
    flush: () => cache.flush(),
    streams: () => [...sessions].map((s) => s.status()).filter((s) => s !== undefined),
    counters: () => counters.snapshot(),
    stop: async () => {
      cache.close();
      for (const session of [...sessions]) session.end();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      log.info({ address }, 'xDS server stopped');
    },
  };
}
