import { credentials, makeGenericClientConstructor, type Client, type ClientDuplexStream } from '@grpc/grpc-js';
import type { AdsService } from '../ads-service.ts';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DiscoveryRequest, DiscoveryResponse } from '../discovery-messages.ts';

/**
 * A bare ADS client for protocol tests (and benchmarks): it sends exactly the requests it is told
 * to and queues every response, so a test sees the control plane's behaviour unfiltered.
 */
export class RawAdsStream<Req, Res> {
  readonly #call: ClientDuplexStream<Req, Res>;
  readonly #queue: Res[] = [];
  readonly #waiters: Array<(response: Res | Error) => void> = [];
  #ended: Error | undefined;
  readonly #endedPromise: Promise<Error>;

  constructor(call: ClientDuplexStream<Req, Res>) {
    this.#call = call;
    let resolveEnded: (err: Error) => void = () => {};
    this.#endedPromise = new Promise((resolve) => (resolveEnded = resolve));
    call.on('data', (response: Res) => {
      const waiter = this.#waiters.shift();
      if (waiter) waiter(response);
      else this.#queue.push(response);
    });
    const finish = (err: Error): void => {
      this.#ended ??= err;
      resolveEnded(this.#ended);
      for (const waiter of this.#waiters.splice(0)) waiter(err);
    };
    call.on('error', (err: Error) => finish(err));
    call.on('end', () => finish(new Error('stream ended by the server')));
  }

  send(request: Partial<Req>): void {
    this.#call.write(request as Req);
  }

  /** The next response, or a rejection after `timeoutMs`. */
  next(timeoutMs = 3000): Promise<Res> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#ended) return Promise.reject(this.#ended);
    return new Promise<Res>((resolve, reject) => {
      const waiter = (r: Res | Error): void => {
        clearTimeout(timer);
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`no xDS response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Resolves with every response that arrives within `ms` (none, when the server stays quiet). */
  async drain(ms: number): Promise<Res[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.#queue.splice(0);
  }

  /** Resolves once the server ended the stream (with the status error grpc-js reports, if any). */
  ended(timeoutMs = 3000): Promise<Error> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('stream still open')), timeoutMs)));
    return Promise.race([this.#endedPromise, timeout]).finally(() => clearTimeout(timer));
  }

  cancel(): void {
    this.#call.cancel();
  }
}

export type RawSotwStream = RawAdsStream<DiscoveryRequest, DiscoveryResponse>;
export type RawDeltaStream = RawAdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>;

interface AdsStub extends Client {
  StreamAggregatedResources(): ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  DeltaAggregatedResources(): ClientDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>;
}

export class RawAdsClient {
  readonly #stub: AdsStub;

  constructor(ads: AdsService, address: string) {
    const Stub = makeGenericClientConstructor(ads.definition, 'AggregatedDiscoveryService');
    this.#stub = new Stub(address, credentials.createInsecure()) as unknown as AdsStub;
  }

  sotw(): RawSotwStream {
    return new RawAdsStream(this.#stub.StreamAggregatedResources());
  }

  delta(): RawDeltaStream {
    return new RawAdsStream(this.#stub.DeltaAggregatedResources());
  }

  close(): void {
    this.#stub.close();
  }
}
