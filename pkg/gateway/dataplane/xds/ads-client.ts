import { type ClientDuplexStream, credentials, type ServiceClientConstructor } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { type EnvoyProtos, PUSH_ORDER, TypeUrl, type XdsTypeUrl } from '../../xds/envoy-protos.ts';
import {
  type AnyMessage,
  type DiscoveryRequest,
  type DiscoveryResponse,
  INVALID_ARGUMENT,
  RESOURCE_WRAPPER_TYPE,
} from './discovery-messages.ts';
import { lazyResource } from './lazy-resource.ts';
import type { DecodedResource } from './resource-applier.ts';

/** Types every gateway subscribes to by wildcard; the others by the names they reference. */
const WILDCARD_TYPES: readonly XdsTypeUrl[] = [TypeUrl.Cluster, TypeUrl.Listener];

/** The largest xDS response the data plane accepts (Istio's pilot sends up to 4 MiB by default; ours can be larger). */
export const MAX_XDS_MESSAGE_BYTES = 256 * 1024 * 1024;

export interface AdsClientOptions {
  /** `host:port` of the ADS server (insecure gRPC, as Kuscia's Envoy reaches its local control plane). */
  address: string;
  nodeId: string;
  nodeCluster: string;
  protos: EnvoyProtos;
  client: ServiceClientConstructor;
  log: Logger;
  /** Applies one type's update; a thrown error NACKs it. */
  apply(typeUrl: XdsTypeUrl, resources: DecodedResource[]): Promise<void>;
  /** The names to request for EDS / RDS, from what is in service now. */
  subscription(typeUrl: XdsTypeUrl): string[];
  /** Called after EDS / RDS names were dropped from the subscription. */
  unsubscribed(typeUrl: XdsTypeUrl, names: string[]): void;
  backoff?: { initialMs: number; maxMs: number };
}

export interface AdsStatus {
  /** A response arrived on the current stream (false while reconnecting). */
  connected: boolean;
  /** Last accepted version per type URL. */
  versions: Record<string, string>;
  /** Last NACK's message per type URL (cleared by the next ACK). */
  rejected: Record<string, string>;
}

type TypeState = { version: string; nonce: string; names: string[] | undefined; rejected?: string };

/**
 * State-of-the-world ADS client (StreamAggregatedResources): wildcard CDS and LDS, then EDS and RDS
 * for the names they reference; every response ACKed (its version and nonce) or NACKed (the last
 * accepted version, the nonce and error_detail), one response at a time so updates apply in order.
 * The stream reconnects with exponential back-off, resuming from the accepted versions; the
 * configuration in service stays as it is while the control plane is away.
 */
export class AdsClient {
  private readonly options: AdsClientOptions;
  private readonly types = new Map<XdsTypeUrl, TypeState>(PUSH_ORDER.map((t) => [t, { version: '', nonce: '', names: undefined }]));
  private client: InstanceType<ServiceClientConstructor> | undefined;
  private stream: ClientDuplexStream<DiscoveryRequest, DiscoveryResponse> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private connected = false;
  private stopped = false;

  constructor(options: AdsClientOptions) {
    this.options = options;
  }

  start(): void {
    // All of a gateway's peers live in two route tables: at ~5,500 peers a state-of-the-world RDS
    // response passes gRPC's default 4 MiB limit, and the stream would fail forever.
    this.client = new this.options.client(this.options.address, credentials.createInsecure(), { 'grpc.max_receive_message_length': MAX_XDS_MESSAGE_BYTES });
    this.connect();
  }

  status(): AdsStatus {
    const versions: Record<string, string> = {};
    const rejected: Record<string, string> = {};
    for (const [type, state] of this.types) {
      versions[type] = state.version;
      if (state.rejected) rejected[type] = state.rejected;
    }
    return { connected: this.connected, versions, rejected };
  }

  /** Re-reads the EDS/RDS subscriptions and asks for changed ones (after an update or applyResources). */
  refreshSubscriptions(): void {
    for (const type of PUSH_ORDER) {
      if (WILDCARD_TYPES.includes(type)) continue;
      const state = this.types.get(type) as TypeState;
      const names = this.options.subscription(type);
      if (state.names !== undefined && sameNames(state.names, names)) continue;
      const dropped = (state.names ?? []).filter((n) => !names.includes(n));
      if (state.names === undefined && names.length === 0) continue;
      state.names = names;
      if (dropped.length > 0) this.options.unsubscribed(type, dropped);
      this.send(type);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stream?.cancel();
    this.client?.close();
    await this.queue;
  }

  private connect(): void {
    if (this.stopped || !this.client) return;
    const stream = (this.client as unknown as { StreamAggregatedResources(): ClientDuplexStream<DiscoveryRequest, DiscoveryResponse> }).StreamAggregatedResources();
    this.stream = stream;
    // Nonces belong to a stream; versions carry over so the server can skip what we already have.
    for (const state of this.types.values()) state.nonce = '';
    stream.on('data', (response: DiscoveryResponse) => {
      this.connected = true;
      this.attempt = 0;
      this.queue = this.queue.then(() => this.handle(stream, response));
    });
    stream.on('error', (err: Error) => this.lost(stream, err.message));
    stream.on('end', () => this.lost(stream, 'stream ended'));
    for (const type of PUSH_ORDER) {
      const state = this.types.get(type) as TypeState;
      if (WILDCARD_TYPES.includes(type) || (state.names && state.names.length > 0)) this.send(type);
    }
  }

  private lost(stream: ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>, why: string): void {
    if (stream !== this.stream || this.stopped) return;
    this.stream = undefined;
    this.connected = false;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.options.log.warn({ address: this.options.address, why, retryInMs: Math.round(delay) }, 'ADS stream lost');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private async handle(stream: ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>, response: DiscoveryResponse): Promise<void> {
    if (stream !== this.stream) return; // a response of a stream we already gave up
    const type = response.typeUrl as XdsTypeUrl;
    const state = this.types.get(type);
    if (!state) {
      this.options.log.warn({ typeUrl: response.typeUrl }, 'ADS response of a type not asked for');
      return;
    }
    state.nonce = response.nonce ?? '';
    const version = response.versionInfo ?? '';
    try {
      let resources = (response.resources ?? []).map((any) => this.decode(type, any));
      if (!WILDCARD_TYPES.includes(type)) {
        const wanted = new Set(state.names ?? []);
        resources = resources.filter((r) => wanted.has(resourceName(type, r)));
      }
      await this.options.apply(type, resources);
      state.version = version;
      state.rejected = undefined;
      this.send(type);
      this.options.log.debug({ typeUrl: type, version, resources: resources.length }, 'ADS update applied');
    } catch (err) {
      state.rejected = (err as Error).message;
      this.options.log.warn({ typeUrl: type, version, err: state.rejected }, 'ADS update rejected (NACK); the previous configuration stays');
      this.send(type, state.rejected);
    }
    this.refreshSubscriptions();
  }

  private decode(type: XdsTypeUrl, any: AnyMessage): DecodedResource {
    let typeUrl = any.type_url;
    let value = any.value;
    if (typeUrl === RESOURCE_WRAPPER_TYPE) {
      const wrapper = this.options.protos.root.lookupType('envoy.service.discovery.v3.Resource').decode(value) as unknown as { resource?: { typeUrl: string; value: Uint8Array } };
      if (!wrapper.resource) throw new Error('a Resource wrapper without a resource');
      typeUrl = wrapper.resource.typeUrl;
      value = Buffer.from(wrapper.resource.value);
    }
    if (typeUrl !== type) throw new Error(`a resource of type ${typeUrl} in a ${type} response`);
    const bytes = value;
    return lazyResource(bytes, () => this.options.protos.decode(type, bytes));
  }

  private send(type: XdsTypeUrl, error?: string): void {
    const state = this.types.get(type) as TypeState;
    const request: DiscoveryRequest = {
      versionInfo: state.version,
      node: { id: this.options.nodeId, cluster: this.options.nodeCluster, userAgentName: 'kuscia-ts-dataplane', userAgentVersion: '1' },
      resourceNames: WILDCARD_TYPES.includes(type) ? [] : (state.names ?? []),
      typeUrl: type,
      responseNonce: state.nonce,
      ...(error !== undefined ? { errorDetail: { code: INVALID_ARGUMENT, message: error } } : {}),
    };
    this.stream?.write(request);
  }
}

function resourceName(type: XdsTypeUrl, resource: DecodedResource): string {
  if (resource.name !== undefined) return resource.name;
  const field = type === TypeUrl.ClusterLoadAssignment ? 'clusterName' : 'name';
  return String(resource.body[field] ?? '');
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
