import type { Logger } from 'pino';
import { type EnvoyProtos, PUSH_ORDER, TypeUrl, type XdsResource, type XdsTypeUrl } from '../xds/envoy-protos.ts';
import { CompileContext } from './config/compile-context.ts';
import type { ProxyRuntime } from './proxy/connection-manager.ts';
import { type ListenerInfo, ListenerManager } from './proxy/listener-manager.ts';
import type { ClusterStats } from './upstream/active-cluster.ts';
import { ClusterManager } from './upstream/cluster-manager.ts';
import { AdsClient, type AdsStatus } from './xds/ads-client.ts';
import { loadAdsClientConstructor } from './xds/ads-definition.ts';
import { ResourceApplier } from './xds/resource-applier.ts';

export interface DataPlaneOptions {
  /** `host:port` of the ADS server; without it the data plane is configured by `applyResources` only. */
  adsAddress?: string;
  /** Node id sent to the control plane (Kuscia: `kuscia-gateway-<domain>-<hostname>`). */
  nodeId: string;
  /** Node cluster sent to the control plane. */
  nodeCluster?: string;
  log: Logger;
  protos: EnvoyProtos;
  /** Reconnect back-off of the ADS stream (default 0.5 s doubling up to 30 s). */
  adsBackoff?: { initialMs: number; maxMs: number };
}

export interface DataPlaneStats {
  clusters: ClusterStats[];
  listeners: ListenerInfo[];
  xds: AdsStatus | undefined;
}

export interface DataPlane {
  /** The listeners in service, with the ports they are bound to. */
  listeners(): ListenerInfo[];
  stats(): DataPlaneStats;
  /**
   * Applies resources as if they came over ADS (same compile-and-apply path): per type in
   * CDS → EDS → LDS → RDS order, Listener and Cluster sets complete, the others by name.
   * Throws XdsConfigError when a type's update is rejected (that type stays as it was).
   */
  applyResources(resources: readonly XdsResource[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The built-in gateway data plane: an ADS client of the gateway control plane and an HTTP/1.1 +
 * HTTP/2 proxy applying the Listener / RouteConfiguration / Cluster / ClusterLoadAssignment it
 * receives with Envoy's semantics (docs/gateway-dataplane.md lists the supported subset).
 */
export async function startDataPlane(options: DataPlaneOptions): Promise<DataPlane> {
  const log = options.log.child({ component: 'gateway-dataplane', node: options.nodeId });
  const ctx = new CompileContext(log);
  const clusters = new ClusterManager(log);
  // The proxy reads route tables from the applier, which applies listeners through the proxy.
  const runtime: ProxyRuntime = { routeConfig: (name) => resourceApplier.routeConfig(name), clusters, log };
  const listeners = new ListenerManager(runtime);
  const resourceApplier = new ResourceApplier(ctx, clusters, listeners);

  const subscription = (type: XdsTypeUrl): string[] =>
    type === TypeUrl.ClusterLoadAssignment ? clusters.edsServiceNames() : type === TypeUrl.RouteConfiguration ? listeners.routeConfigNames() : [];
  // One update at a time, whether it comes from ADS or applyResources.
  let serial: Promise<unknown> = Promise.resolve();
  const applySerially = (type: XdsTypeUrl, resources: Parameters<ResourceApplier['apply']>[1]): Promise<void> => {
    const run = serial.then(() => resourceApplier.apply(type, resources));
    serial = run.catch(() => undefined);
    return run;
  };

  let ads: AdsClient | undefined;
  if (options.adsAddress) {
    ads = new AdsClient({
      address: options.adsAddress,
      nodeId: options.nodeId,
      nodeCluster: options.nodeCluster ?? 'kuscia-gateway',
      protos: options.protos,
      client: await loadAdsClientConstructor(),
      log,
      apply: applySerially,
      subscription,
      unsubscribed: (type) => resourceApplier.retain(type, subscription(type)),
      backoff: options.adsBackoff,
    });
    ads.start();
  }

  return {
    listeners: () => listeners.listeners(),
    stats: () => ({ clusters: clusters.stats(), listeners: listeners.listeners(), xds: ads?.status() }),
    applyResources: async (resources) => {
      for (const type of PUSH_ORDER) {
        const ofType = resources.filter((r) => r.typeUrl === type);
        if (ofType.length === 0) continue;
        const decoded = ofType.map((r) => {
          const bytes = options.protos.encode(r);
          return { bytes, body: options.protos.decode(type, bytes) };
        });
        await applySerially(type, decoded);
      }
      ads?.refreshSubscriptions();
    },
    stop: async () => {
      await ads?.stop();
      await listeners.close();
      clusters.close();
    },
  };
}
