/**
 * The Gateway object of one gateway instance (Kuscia's GatewayController): created in the domain's
 * namespace and its status rewritten every 15 s with the address, uptime, heartbeat time, the
 * domain's public key, the version and the health of each peer cluster. The DomainRoute
 * controller picks handshake initializers among live gateways and waits for each live one to load
 * a new token, and the ClusterDomainRoute controller reports endpoint health from `networkStatus`.
 */
import type { Logger } from 'pino';
import { KusciaResources } from '../controllers/common/resources.ts';
import { API_VERSION, type Gateway, type GatewayEndpointStatus } from '../crd/index.ts';
import type { KubeApi } from '../kube/api-client.ts';
import { describeError, isAlreadyExists, isNotFound } from '../kube/api-errors.ts';
import { ResourceClient } from '../kube/resource-client.ts';

/** Kuscia's gateway heartbeat period. */
export const GATEWAY_HEARTBEAT_MS = 15_000;

export interface GatewayHeartbeatOptions {
  api: KubeApi;
  namespace: string;
  instance: string;
  /** Where peers and the other gateways of the domain reach this one (host or IP). */
  address: string;
  /** Kuscia's form: base64 of the PKCS#1 public key PEM. */
  publicKey: string;
  version: string;
  /** Peer cluster health at the moment of the beat. */
  networkStatus: () => GatewayEndpointStatus[];
  intervalMs?: number;
  now?: () => Date;
  log: Logger;
}

export interface GatewayHeartbeat {
  /** Writes one beat now (also the first one, before start() returns). */
  beat(): Promise<void>;
  stop(): Promise<void>;
}

const seconds = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export async function startGatewayHeartbeat(opts: GatewayHeartbeatOptions): Promise<GatewayHeartbeat> {
  const client = new ResourceClient<Gateway>(opts.api, KusciaResources.gateways);
  const now = opts.now ?? (() => new Date());
  const startedAt = seconds(now());
  const log = opts.log.child({ component: 'gateway-heartbeat', gateway: `${opts.namespace}/${opts.instance}` });

  const beat = async (): Promise<void> => {
    let current: Gateway;
    try {
      current = await client.get(opts.namespace, opts.instance);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        current = await client.create({ apiVersion: API_VERSION, kind: 'Gateway', metadata: { name: opts.instance, namespace: opts.namespace } });
      } catch (createErr) {
        if (!isAlreadyExists(createErr)) throw createErr;
        current = await client.get(opts.namespace, opts.instance);
      }
    }
    await client.replaceStatus({
      ...current,
      status: { address: opts.address, uptime: startedAt, heartbeatTime: seconds(now()), publicKey: opts.publicKey, version: opts.version, networkStatus: opts.networkStatus() },
    });
  };

  await beat();
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = beat()
      .catch((err: unknown) => log.warn({ err: describeError(err) }, 'gateway heartbeat failed; retrying at the next beat'))
      .finally(() => (running = undefined));
  }, opts.intervalMs ?? GATEWAY_HEARTBEAT_MS);
  timer.unref();
  return {
    beat,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
