/**
 * Child process of the xDS benchmark: `--clients` bare ADS clients, each on its own HTTP/2
 * connection like separate Envoys, subscribed to all four types (CDS/LDS wildcard, EDS/RDS by the
 * names given) and ACKing every response at once without decoding it. They stand for the cost a
 * control plane pays per connected data plane; the timing is taken on the server's side.
 *
 *   node bench/xds/raw-fleet.ts --address 127.0.0.1:PORT --clients 10 --variant sotw|delta \
 *       --eds service-a,service-b --rds internal-route,external-route
 *
 * Prints "ready" once every stream has sent its subscriptions; exits on SIGTERM.
 */
import { credentials, makeGenericClientConstructor, type Client, type ClientDuplexStream } from '@grpc/grpc-js';
import { parseArgs } from 'node:util';
import { TypeUrl } from '../../pkg/gateway/xds/envoy-protos.ts';
import { loadAdsService } from '../../pkg/gateway/xds/server/index.ts';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DiscoveryRequest, DiscoveryResponse } from '../../pkg/gateway/xds/server/discovery-messages.ts';
import { RawAdsStream } from '../../pkg/gateway/xds/server/testing/raw-ads-client.ts';
import { intFlag } from '../common/int-flag.ts';

const { values } = parseArgs({
  options: {
    address: { type: 'string' },
    clients: { type: 'string', default: '1' },
    variant: { type: 'string', default: 'sotw' },
    eds: { type: 'string', default: '' },
    rds: { type: 'string', default: '' },
  },
});
const address = values.address ?? '';
if (!address) throw new Error('--address is required');
const clients = intFlag(values, 'clients', 1);
const delta = values.variant === 'delta';
const list = (s: string) => s.split(',').filter(Boolean);
const subscriptions: Array<[string, string[]]> = [
  [TypeUrl.Cluster, []],
  [TypeUrl.ClusterLoadAssignment, list(values.eds)],
  [TypeUrl.Listener, []],
  [TypeUrl.RouteConfiguration, list(values.rds)],
];
/** Longer than any run: next() rejects only when the stream ends. */
const FOREVER_MS = 24 * 3600_000;

interface AdsStub extends Client {
  StreamAggregatedResources(): ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  DeltaAggregatedResources(): ClientDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>;
}

const ads = await loadAdsService();
const Stub = makeGenericClientConstructor(ads.definition, 'AggregatedDiscoveryService');
// A local subchannel pool: each client gets its own connection instead of grpc-js sharing one.
const stubs = Array.from({ length: clients }, () => new Stub(address, credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }) as unknown as AdsStub);

async function runSotw(stub: AdsStub, nodeId: string): Promise<void> {
  const stream = new RawAdsStream<DiscoveryRequest, DiscoveryResponse>(stub.StreamAggregatedResources());
  const names = new Map(subscriptions);
  for (const [typeUrl, resourceNames] of subscriptions) {
    stream.send({ node: { id: nodeId, cluster: 'bench' }, typeUrl, resourceNames, versionInfo: '', responseNonce: '' });
  }
  for (;;) {
    const response = await stream.next(FOREVER_MS);
    stream.send({ typeUrl: response.typeUrl, resourceNames: names.get(response.typeUrl) ?? [], versionInfo: response.versionInfo, responseNonce: response.nonce });
  }
}

async function runDelta(stub: AdsStub, nodeId: string): Promise<void> {
  const stream = new RawAdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(stub.DeltaAggregatedResources());
  for (const [typeUrl, resourceNamesSubscribe] of subscriptions) {
    stream.send({ node: { id: nodeId, cluster: 'bench' }, typeUrl, resourceNamesSubscribe, resourceNamesUnsubscribe: [], initialResourceVersions: {}, responseNonce: '' });
  }
  for (;;) {
    const response = await stream.next(FOREVER_MS);
    stream.send({ typeUrl: response.typeUrl, resourceNamesSubscribe: [], resourceNamesUnsubscribe: [], responseNonce: response.nonce });
  }
}

const running = stubs.map((stub, i) => (delta ? runDelta(stub, `raw-${i}`) : runSotw(stub, `raw-${i}`)));
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  for (const stub of stubs) stub.close();
  process.exit(0);
});
// A stream ending means the server went away: nothing more to do.
await Promise.race(running).catch((err: unknown) => {
  process.stderr.write(`raw fleet: a stream ended: ${(err as Error).message}\n`);
  process.exit(1);
});
