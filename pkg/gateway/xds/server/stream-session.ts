import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { DeltaStream } from './delta-stream.ts';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DiscoveryRequest, DiscoveryResponse, XdsNode } from './discovery-messages.ts';
import type { Snapshot } from './snapshot.ts';
import { FALLBACK_NODE_GROUP } from './snapshot-cache.ts';
import { SotwStream } from './sotw-stream.ts';
import type { StreamReporter } from './stream-reporter.ts';
import type { XdsCounters, XdsServerObserver, XdsStreamInfo, XdsStreamStatus, XdsTypeStatus, XdsVariant } from './xds-events.ts';

export interface StreamSessionDeps {
  streamId: number;
  log: Logger;
  counters: XdsCounters;
  observer: XdsServerObserver;
  nodeGroup: (node: XdsNode) => string;
  snapshotFor: (group: string) => Snapshot | undefined;
  /** Called once when the stream is over, whichever way it ended. */
  onClosed: (session: StreamSession) => void;
}

type AnyCall = ServerDuplexStream<DiscoveryRequest, DiscoveryResponse> | ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>;

/**
 * One ADS stream: learns the node from the first request, feeds requests and snapshot changes to
 * the variant's state machine, and turns what it reports into logs, counters, status and
 * observer calls.
 */
export class StreamSession implements StreamReporter {
  readonly #deps: StreamSessionDeps;
  readonly #call: AnyCall;
  readonly #variant: XdsVariant;
  readonly #protocol: SotwStream | DeltaStream;
  #log: Logger;
  #info: XdsStreamInfo | undefined;
  readonly #types = new Map<string, XdsTypeStatus>();
  readonly #openedAt = new Date();
  #nonce = 0;
  #closed = false;

  static sotw(call: ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>, deps: StreamSessionDeps): StreamSession {
    return new StreamSession(call, 'sotw', deps, (session) => new SotwStream(session, (response) => session.#write(response)));
  }

  static delta(call: ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>, deps: StreamSessionDeps): StreamSession {
    return new StreamSession(call, 'delta', deps, (session) => new DeltaStream(session, (response) => session.#write(response)));
  }

  private constructor(call: AnyCall, variant: XdsVariant, deps: StreamSessionDeps, protocol: (session: StreamSession) => SotwStream | DeltaStream) {
    this.#call = call;
    this.#variant = variant;
    this.#deps = deps;
    this.#log = deps.log.child({ streamId: deps.streamId, variant });
    this.#protocol = protocol(this);
    call.on('data', (request: DiscoveryRequest | DeltaDiscoveryRequest) => this.#onRequest(request));
    call.on('end', () => this.end());
    call.on('error', (err: Error) => {
      this.#log.debug({ err }, 'xDS stream error');
      this.#closeOnce();
    });
    call.on('cancelled', () => this.#closeOnce());
    call.on('close', () => this.#closeOnce());
  }

  /** Some groups' snapshots changed: push if this stream's snapshot was among them. */
  onGroupsChanged(changed: ReadonlySet<string>): void {
    if (!this.#info || this.#closed) return;
    if (changed.has(this.#info.group) || changed.has(FALLBACK_NODE_GROUP)) this.#protocol.onSnapshot(this.#deps.snapshotFor(this.#info.group));
  }

  status(): XdsStreamStatus | undefined {
    if (!this.#info) return undefined;
    return { ...this.#info, openedAt: this.#openedAt, types: Object.fromEntries([...this.#types].map(([t, s]) => [t, { ...s }])) };
  }

  /** Ends the stream from the server side (status OK). */
  end(): void {
    if (!this.#closed) this.#call.end();
    this.#closeOnce();
  }

  nextNonce(): string {
    return String(++this.#nonce);
  }

  pushed(push: Parameters<StreamReporter['pushed']>[0]): void {
    this.#typeStatus(push.typeUrl).sentVersion = push.version;
    this.#deps.counters.push(push.typeUrl, push.bytes);
    this.#log.debug(push, 'xDS push');
    this.#deps.observer.onPush?.({ ...this.#info!, ...push });
  }

  acked(ack: Parameters<StreamReporter['acked']>[0]): void {
    this.#typeStatus(ack.typeUrl).ackedVersion = ack.version;
    this.#deps.counters.ack(ack.typeUrl);
    this.#log.debug(ack, 'xDS ACK');
    this.#deps.observer.onAck?.({ ...this.#info!, ...ack });
  }

  nacked(nack: Parameters<StreamReporter['nacked']>[0]): void {
    const { typeUrl, version, nonce, error } = nack;
    this.#typeStatus(typeUrl).lastNack = { version, nonce, code: error.code, message: error.message, at: new Date() };
    this.#deps.counters.nack(typeUrl);
    // The client keeps running its last ACKed version; this is a resource the control plane built wrong.
    this.#log.warn({ typeUrl, version, nonce, code: error.code, error: error.message }, 'xDS NACK: the client rejected a response');
    this.#deps.observer.onNack?.({ ...this.#info!, typeUrl, version, nonce, code: error.code, message: error.message });
  }

  #onRequest(request: DiscoveryRequest | DeltaDiscoveryRequest): void {
    if (this.#closed) return;
    try {
      if (!this.#info) this.#open(request.node);
      const snapshot = this.#deps.snapshotFor(this.#info!.group);
      if (this.#protocol instanceof SotwStream) this.#protocol.handleRequest(request as DiscoveryRequest, snapshot);
      else this.#protocol.handleRequest(request as DeltaDiscoveryRequest, snapshot);
    } catch (err) {
      // A bug in our bookkeeping: end this stream (the client reconnects) rather than the server.
      this.#log.error({ err }, 'xDS request failed');
      this.#call.destroy(err as Error);
      this.#closeOnce();
    }
  }

  #open(node: XdsNode | null): void {
    const nodeId = node?.id ?? '';
    const group = node ? this.#deps.nodeGroup(node) : '';
    this.#info = { streamId: this.#deps.streamId, nodeId, group, variant: this.#variant };
    this.#log = this.#log.child({ nodeId, group });
    this.#log.info('xDS stream opened');
    this.#deps.observer.onStreamOpen?.(this.#info);
  }

  #write(response: DiscoveryResponse | DeltaDiscoveryResponse): void {
    if (this.#closed) return;
    // grpc-js buffers what the socket cannot take yet; a SotW client only needs the newest anyway.
    (this.#call as ServerDuplexStream<unknown, DiscoveryResponse | DeltaDiscoveryResponse>).write(response);
  }

  #typeStatus(typeUrl: string): XdsTypeStatus {
    let s = this.#types.get(typeUrl);
    if (!s) this.#types.set(typeUrl, (s = {}));
    return s;
  }

  #closeOnce(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#info) {
      this.#log.info('xDS stream closed');
      this.#deps.observer.onStreamClose?.(this.#info);
    }
    this.#deps.onClosed(this);
  }
}
