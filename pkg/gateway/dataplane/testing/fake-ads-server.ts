import * as grpc from '@grpc/grpc-js';
import type { EnvoyProtos, XdsResource } from '../../xds/envoy-protos.ts';
import { loadAdsClientConstructor } from '../xds/ads-definition.ts';
import type { DiscoveryRequest, DiscoveryResponse } from '../xds/discovery-messages.ts';

/**
 * A scripted ADS server for tests: records every DiscoveryRequest and sends the responses the test
 * pushes, on the current stream.
 */
export class FakeAdsServer {
  readonly requests: Array<DiscoveryRequest & { stream: number }> = [];
  private readonly server = new grpc.Server();
  private readonly protos: EnvoyProtos;
  private stream: grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse> | undefined;
  private streams = 0;
  private nonce = 0;
  private waiters: Array<() => void> = [];

  constructor(protos: EnvoyProtos) {
    this.protos = protos;
  }

  async start(): Promise<number> {
    const Client = await loadAdsClientConstructor();
    this.server.addService(Client.service, {
      StreamAggregatedResources: (stream: grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => {
        this.stream = stream;
        const index = ++this.streams;
        stream.on('data', (request: DiscoveryRequest) => {
          // proto-loader leaves proto3 defaults out (defaults: false): fill them back in.
          this.requests.push({ ...request, versionInfo: request.versionInfo ?? '', resourceNames: request.resourceNames ?? [], responseNonce: request.responseNonce ?? '', stream: index });
          for (const wake of this.waiters.splice(0)) wake();
        });
        stream.on('error', () => undefined);
        stream.on('end', () => stream.end());
      },
      DeltaAggregatedResources: (stream: grpc.ServerDuplexStream<unknown, unknown>) => stream.end(),
    });
    return new Promise((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
  }

  /** Sends a SotW response; returns its nonce. */
  push(typeUrl: string, version: string, resources: readonly XdsResource[]): string {
    if (!this.stream) throw new Error('no ADS stream yet');
    const nonce = `n${++this.nonce}`;
    this.stream.write({ versionInfo: version, typeUrl, nonce, resources: resources.map((r) => ({ type_url: r.typeUrl, value: this.protos.toAny(r).value })) });
    return nonce;
  }

  /** The first request (from now on or already received) that satisfies the predicate. */
  async waitFor(predicate: (r: DiscoveryRequest & { stream: number }) => boolean, timeoutMs = 3000): Promise<DiscoveryRequest & { stream: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching DiscoveryRequest; got ${JSON.stringify(this.requests.map((r) => [r.typeUrl, r.versionInfo, r.responseNonce, r.resourceNames, r.errorDetail?.message]))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Ends the current stream with an error status, as a restarting control plane would. */
  dropStream(): void {
    // grpc-js ends a server stream with a status when its 'error' event carries one.
    this.stream?.emit('error', { code: grpc.status.UNAVAILABLE, details: 'control plane restarting' });
    this.stream = undefined;
  }

  stop(): void {
    this.server.forceShutdown();
  }
}
