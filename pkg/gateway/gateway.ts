/**
 * One domain gateway instance (Kuscia's `domainroute` + `envoy` modules): the xDS control plane
 * fed from the domain's DomainRoutes, Services and pods, a data plane consuming it over ADS (the
 * built-in proxy, or Envoy), the handshake server behind the external listener, the handshake
 * driver for the routes this instance initiates, and the Gateway object's heartbeat.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { KusciaResources } from '../controllers/common/resources.ts';
import type { DomainRoute, GatewayEndpointStatus } from '../crd/index.ts';
import { KubeApi } from '../kube/api-client.ts';
import { describeError } from '../kube/api-errors.ts';
import type { KubeConfig } from '@kubernetes/client-node';
import { SharedInformerFactory } from '../kube/informer-factory.ts';
import { CoreResources } from '../kube/resources.ts';
import type { Pod, Service } from '../kube/wire.ts';
import { startGatewayHeartbeat, type GatewayHeartbeat } from './gateway-heartbeat.ts';
import { startHandshakeDriver, type HandshakeDriver } from './handshake-driver.ts';
import { createHandshakeHandler, domainRouteClient, HandshakeClient, kubeDomainRouteStore, kusciaPublicKeyOf } from './handshake/index.ts';
import { recordLoadedToken, tokensToRecord } from './loaded-tokens.ts';
import { routesToState, TokenCache } from './routes-to-state.ts';
import { podServingChanged, servicesToState } from './services-to-state.ts';
import { waitForGroupAck } from './xds-acks.ts';
import { EncodeCache } from './xds/encode-cache.ts';
import { loadEnvoyProtos, TypeUrl, type EnvoyProtos } from './xds/envoy-protos.ts';
import { buildGatewayResources, type GatewayPorts } from './xds/resources/index.ts';
import { buildSnapshot, startXdsServer, type XdsServer } from './xds/server/index.ts';

/** A running data plane: the built-in proxy or an Envoy process, both ADS clients of `adsAddress`. */
export interface RunningDataPlane {
  /** Health of the peer clusters `<src>-to-<dst>-<port>` for the Gateway object's networkStatus. */
  networkStatus(): GatewayEndpointStatus[];
  stop(): Promise<void>;
}

export type DataPlaneLauncher = (ctx: { adsAddress: string; nodeId: string; protos: EnvoyProtos; log: Logger }) => Promise<RunningDataPlane>;

export interface GatewayOptions {
  kubeConfig: KubeConfig;
  /** The domain (namespace) this gateway serves. */
  domain: string;
  /** Instance name: the Gateway object's name (Kuscia: the host name). */
  instance: string;
  /** The domain's RSA private key (PEM): decrypts tokens, signs the handshake's halves. */
  domainKeyPem: string;
  /** Listener ports; the handshake server binds 127.0.0.1 only (peers reach it through the external listener). */
  ports: GatewayPorts;
  /** Where the listeners bind (default 0.0.0.0). */
  listenAddress?: string;
  /** The address other gateways of the domain and peers see in the Gateway object. */
  advertiseAddress: string;
  /** The xDS server's port on 127.0.0.1 (0 picks one). */
  xdsPort?: number;
  version: string;
  dataPlane: DataPlaneLauncher;
  log: Logger;
  /** Handshake and heartbeat timings (tests shorten them). */
  timings?: { heartbeatMs?: number; gatewayHeartbeatMs?: number; handshakeRetryMs?: number; readyTimeoutMs?: number };
}

export interface RunningGateway {
  xdsAddress: string;
  handshakePort: number;
  /** Rebuilds the configuration now (normally driven by the informers). */
  resync(): Promise<void>;
  stop(): Promise<void>;
}

/** All data planes of one gateway share one snapshot. */
const NODE_GROUP = 'gateway';

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const log = opts.log.child({ component: 'gateway', domain: opts.domain, gateway: opts.instance });
  const privateKey: KeyObject = createPrivateKey(opts.domainKeyPem);
  const api = new KubeApi(opts.kubeConfig);
  const undo: Array<() => Promise<void>> = [async () => api.close()];
  const unwind = async () => {
    for (const step of undo.splice(0).reverse()) await step().catch((err: unknown) => log.warn({ err: describeError(err) }, 'gateway cleanup step failed'));
  };
  try {
    const protos = await loadEnvoyProtos();
    const xds: XdsServer = await startXdsServer({ protos, log, host: '127.0.0.1', port: opts.xdsPort ?? 0, nodeGroup: () => NODE_GROUP, debounce: { quietMs: 20, maxMs: 200 } });
    undo.push(() => xds.stop());

    const routeStore = kubeDomainRouteStore(domainRouteClient(api), opts.domain);
    const handshakeServer: Server = createServer(createHandshakeHandler({ namespace: opts.domain, privateKey, routes: routeStore, log, readyTimeoutMs: opts.timings?.readyTimeoutMs }));
    await new Promise<void>((resolve, reject) => {
      handshakeServer.once('error', reject);
      handshakeServer.listen(opts.ports.handshake, '127.0.0.1', () => resolve());
    });
    undo.push(() => new Promise<void>((resolve) => handshakeServer.close(() => resolve())));
    const ports: GatewayPorts = { ...opts.ports, handshake: (handshakeServer.address() as AddressInfo).port };

    const informers = new SharedInformerFactory({ api, log });
    const routes = informers.informerFor<DomainRoute>(KusciaResources.domainRoutes, { namespace: opts.domain });
    const services = informers.informerFor<Service>(CoreResources.services, { namespace: opts.domain });
    const pods = informers.informerFor<Pod>(CoreResources.pods, { namespace: opts.domain });

    const tokenCache = new TokenCache();
    const encodeCache = new EncodeCache();
    // One rebuild at a time; changes during a rebuild ask for one more.
    let rebuilding: Promise<void> | undefined;
    let again = false;
    const rebuild = async (): Promise<void> => {
      const routeList = routes.list(opts.domain);
      const routeState = routesToState(routeList, opts.domain, privateKey, tokenCache);
      for (const p of routeState.problems) log.warn(p, 'DomainRoute not usable');
      const built = buildGatewayResources({
        domain: opts.domain,
        instance: opts.instance,
        version: opts.version,
        ports,
        listenAddress: opts.listenAddress,
        outbound: routeState.outbound,
        inbound: routeState.inbound,
        services: servicesToState(services.list(opts.domain), pods.list(opts.domain)),
      });
      for (const s of built.skipped) log.warn(s, 'gateway input skipped');
      const snapshot = buildSnapshot(protos, built.resources.map((r) => encodeCache.encode(protos, r)));
      encodeCache.sweep();
      xds.setSnapshot(NODE_GROUP, snapshot);
      xds.flush();
      const pendingTokens = tokensToRecord(routeList, opts.domain, opts.instance);
      if (pendingTokens.length === 0) return;
      const routeVersion = snapshot.get(TypeUrl.RouteConfiguration)?.version ?? '';
      if (!(await waitForGroupAck(xds, NODE_GROUP, TypeUrl.RouteConfiguration, routeVersion, 10_000))) {
        log.warn({ routes: pendingTokens.map((t) => t.name) }, 'the data plane has not taken the new tokens yet');
        return;
      }
      for (const t of pendingTokens) await recordLoadedToken(routeStore, t.name, t.revision, opts.instance);
    };
    const resync = (): Promise<void> => {
      if (rebuilding) {
        again = true;
        return rebuilding;
      }
      rebuilding = rebuild()
        .catch((err: unknown) => log.error({ err: describeError(err) }, 'gateway configuration rebuild failed'))
        .finally(() => {
          rebuilding = undefined;
          if (again) {
            again = false;
            void resync();
          }
        });
      return rebuilding;
    };

    // A peer silent for 20 s is unreachable (Kuscia waits 45 s): with the driver's quick retries after
    // a failed heartbeat, a stopped peer shows as not ready within 30 s.
    const client = new HandshakeClient({ namespace: opts.domain, privateKey, routes: routeStore, endpoint: `http://127.0.0.1:${ports.internal}`, unreachableAfterMs: 20_000, log });
    const driver: HandshakeDriver = startHandshakeDriver({ client, namespace: opts.domain, instance: opts.instance, routes: () => routes.list(opts.domain), heartbeatMs: opts.timings?.heartbeatMs, retryMs: opts.timings?.handshakeRetryMs, log });
    undo.push(() => driver.stop());

    // Route changes also concern the handshake driver; services and pods only the configuration,
    // and a pod's status write only when it changes what a Service serves.
    const onRouteChange = () => {
      void resync();
      driver.kick();
    };
    const onServingChange = () => void resync();
    routes.addEventHandler({ onAdd: onRouteChange, onUpdate: onRouteChange, onDelete: onRouteChange });
    services.addEventHandler({ onAdd: onServingChange, onUpdate: onServingChange, onDelete: onServingChange });
    pods.addEventHandler({ onAdd: onServingChange, onUpdate: (before, after) => podServingChanged(before, after) && onServingChange(), onDelete: onServingChange });
    await informers.start();
    undo.push(async () => informers.stop());
    if (!(await informers.waitForCacheSync(60_000))) throw new Error('gateway: the DomainRoute, Service and Pod watches did not sync within 60 s');

    // The snapshot exists before the data plane asks (Envoy would otherwise wait out its initial
    // fetch timeout); recording loaded tokens then waits for the data plane's ACK.
    void resync();
    const nodeId = `kuscia-gateway-${opts.domain}-${opts.instance}`;
    const dataPlane = await opts.dataPlane({ adsAddress: xds.address, nodeId, protos, log });
    undo.push(() => dataPlane.stop());

    const heartbeat: GatewayHeartbeat = await startGatewayHeartbeat({
      api,
      namespace: opts.domain,
      instance: opts.instance,
      address: opts.advertiseAddress,
      publicKey: kusciaPublicKeyOf(privateKey),
      version: opts.version,
      networkStatus: () => dataPlane.networkStatus(),
      intervalMs: opts.timings?.gatewayHeartbeatMs,
      log,
    });
    undo.push(() => heartbeat.stop());
    log.info({ ports, xds: xds.address }, 'gateway started');

    let stopping: Promise<void> | undefined;
    return {
      xdsAddress: xds.address,
      handshakePort: ports.handshake,
      resync,
      stop: () => (stopping ??= unwind()),
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}
