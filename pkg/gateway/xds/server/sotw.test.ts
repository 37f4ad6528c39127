import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TypeUrl } from '../envoy-protos.ts';
import type { DiscoveryRequest, DiscoveryResponse } from './discovery-messages.ts';
import { FALLBACK_NODE_GROUP } from './snapshot-cache.ts';
import { cluster, endpoints, listener, namesOf, route } from './testing/fixtures.ts';
import { loadSchemas, startHarness, type XdsHarness } from './testing/harness.ts';
import type { RawSotwStream } from './testing/raw-ads-client.ts';
import type { XdsNackEvent } from './xds-events.ts';

let schemas: Awaited<ReturnType<typeof loadSchemas>>;
let h: XdsHarness;
beforeAll(async () => {
  schemas = await loadSchemas();
});
afterEach(async () => {
  await h?.close();
});

const node = (id: string) => ({ id, cluster: 'kuscia' });

function request(typeUrl: string, fields: Partial<DiscoveryRequest> = {}): Partial<DiscoveryRequest> {
  return { typeUrl, resourceNames: [], versionInfo: '', responseNonce: '', ...fields };
}

function ack(response: DiscoveryResponse, resourceNames: string[] = []): Partial<DiscoveryRequest> {
  return request(response.typeUrl, { versionInfo: response.versionInfo, responseNonce: response.nonce, resourceNames });
}

const names = (r: DiscoveryResponse) => namesOf(h.protos, r.resources);

/** Waits until the server has taken the client's ACK of `response` (else a push could overtake it, making it stale). */
async function serverSawAck(nodeId: string, response: DiscoveryResponse): Promise<void> {
  await expect.poll(() => h.server.streams().find((s) => s.nodeId === nodeId)?.types[response.typeUrl]?.ackedVersion, { timeout: 5000 }).toBe(response.versionInfo);
}

/** Opens a stream for gw-1 and subscribes (wildcard) to CDS and LDS, answering both. */
async function subscribedToClustersAndListeners(): Promise<{ stream: RawSotwStream; cds: DiscoveryResponse; lds: DiscoveryResponse }> {
  const stream = h.client.sotw();
  stream.send(request(TypeUrl.Cluster, { node: node('gw-1') }));
  const cds = await stream.next();
  stream.send(request(TypeUrl.Listener));
  const lds = await stream.next();
  stream.send(ack(cds));
  stream.send(ack(lds));
  await serverSawAck('gw-1', cds);
  await serverSawAck('gw-1', lds);
  return { stream, cds, lds };
}

describe('ADS state of the world', () => {
  it('answers wildcard LDS and CDS with every resource, then pushes a new version only for the type that changed', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [listener('l1'), listener('l2'), cluster('c1'), endpoints('c1'), route('route-a')]);
    const { stream, cds, lds } = await subscribedToClustersAndListeners();
    expect(cds.typeUrl).toBe(TypeUrl.Cluster);
    expect(names(cds)).toEqual(['c1']);
    expect(names(lds).sort()).toEqual(['l1', 'l2']);
    expect(cds.versionInfo).not.toBe('');
    expect(cds.nonce).not.toBe(lds.nonce);

    h.server.setSnapshot('gw-1', [listener('l1'), listener('l2'), cluster('c1', 7), endpoints('c1'), route('route-a')]);
    const pushed = await stream.next();
    expect(pushed.typeUrl).toBe(TypeUrl.Cluster);
    expect(pushed.versionInfo).not.toBe(cds.versionInfo);
    expect(h.protos.decode(TypeUrl.Cluster, pushed.resources[0].value).connectTimeout).toEqual({ seconds: 7 });
    // Listeners did not change: they are not sent again, and setting identical bytes pushes nothing.
    stream.send(ack(pushed));
    await serverSawAck('gw-1', pushed);
    h.server.setSnapshot('gw-1', [listener('l1'), listener('l2'), cluster('c1', 7), endpoints('c1'), route('route-a')]);
    expect(await stream.drain(150)).toEqual([]);

    const status = h.server.streams().find((s) => s.nodeId === 'gw-1')!;
    expect(status.variant).toBe('sotw');
    expect(status.types[TypeUrl.Cluster].ackedVersion).toBe(pushed.versionInfo);
    expect(status.types[TypeUrl.Listener].ackedVersion).toBe(lds.versionInfo);
    expect(h.server.counters()[TypeUrl.Cluster]).toMatchObject({ pushes: 2, acks: 2, nacks: 0 });
  });

  it('keeps the last ACKed version after a NACK, reports it, does not resend the rejected content, and still pushes the next change', async () => {
    const nacks: XdsNackEvent[] = [];
    h = await startHarness(schemas, { observer: { onNack: (e) => nacks.push(e) } });
    h.server.setSnapshot('gw-1', [listener('l1'), cluster('c1')]);
    const { stream, cds } = await subscribedToClustersAndListeners();

    h.server.setSnapshot('gw-1', [listener('l1'), cluster('c1', 2)]);
    const rejected = await stream.next();
    // A NACK carries the version the client still runs and the nonce of the response it rejects.
    stream.send(request(TypeUrl.Cluster, { versionInfo: cds.versionInfo, responseNonce: rejected.nonce, errorDetail: { code: 3, message: 'cluster c1: bad connect_timeout' } }));
    expect(await stream.drain(150)).toEqual([]);

    const types = h.server.streams()[0].types[TypeUrl.Cluster];
    expect(types.ackedVersion).toBe(cds.versionInfo);
    expect(types.sentVersion).toBe(rejected.versionInfo);
    expect(types.lastNack).toMatchObject({ version: rejected.versionInfo, nonce: rejected.nonce, code: 3, message: 'cluster c1: bad connect_timeout' });
    expect(nacks).toEqual([expect.objectContaining({ nodeId: 'gw-1', typeUrl: TypeUrl.Cluster, version: rejected.versionInfo, message: 'cluster c1: bad connect_timeout' })]);
    expect(h.server.counters()[TypeUrl.Cluster].nacks).toBe(1);

    h.server.setSnapshot('gw-1', [listener('l1'), cluster('c1', 3)]);
    const fixed = await stream.next();
    expect(fixed.typeUrl).toBe(TypeUrl.Cluster);
    expect(fixed.versionInfo).not.toBe(rejected.versionInfo);
    stream.send(ack(fixed));
    await serverSawAck('gw-1', fixed);
  });

  it('ignores a request with a stale nonce (a newer response is in flight), also when it is a NACK', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [route('r1'), route('r2')]);
    const stream = h.client.sotw();
    stream.send(request(TypeUrl.RouteConfiguration, { node: node('gw-1'), resourceNames: ['r1'] }));
    const first = await stream.next();
    stream.send(ack(first, ['r1']));
    await serverSawAck('gw-1', first);
    h.server.setSnapshot('gw-1', [route('r1', 'cluster-b'), route('r2')]);
    const second = await stream.next();

    stream.send(request(TypeUrl.RouteConfiguration, { versionInfo: first.versionInfo, responseNonce: first.nonce, resourceNames: ['r1', 'r2'] }));
    stream.send(request(TypeUrl.RouteConfiguration, { versionInfo: '', responseNonce: first.nonce, resourceNames: ['r1'], errorDetail: { code: 3, message: 'late' } }));
    expect(await stream.drain(150)).toEqual([]);
    expect(h.server.counters()[TypeUrl.RouteConfiguration]).toMatchObject({ acks: 1, nacks: 0 });

    // The same subscription change with the current nonce is served.
    stream.send(ack(second, ['r1', 'r2']));
    expect(names(await stream.next()).sort()).toEqual(['r1', 'r2']);
  });

  it('answers RDS only when every requested name exists, with only the requested names, and follows (un)subscriptions', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [route('r1'), route('r3')]);
    const stream = h.client.sotw();
    stream.send(request(TypeUrl.RouteConfiguration, { node: node('gw-1'), resourceNames: ['r1', 'r2'] }));
    expect(await stream.drain(150)).toEqual([]);

    h.server.setSnapshot('gw-1', [route('r1'), route('r2'), route('r3')]);
    const both = await stream.next();
    expect(names(both).sort()).toEqual(['r1', 'r2']);

    stream.send(ack(both, ['r2']));
    const unsubscribed = await stream.next();
    expect(names(unsubscribed)).toEqual(['r2']);
    stream.send(ack(unsubscribed, ['r2', 'r3']));
    expect(names(await stream.next()).sort()).toEqual(['r2', 'r3']);

    // r1 is no longer asked for: changing it pushes nothing.
    h.server.setSnapshot('gw-1', [route('r1', 'other'), route('r2'), route('r3')]);
    expect(await stream.drain(150)).toEqual([]);
  });

  it('removes a listener and a cluster by leaving them out of the next complete LDS/CDS response', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [listener('l1'), listener('l2'), cluster('c1'), cluster('c2')]);
    const { stream, cds, lds } = await subscribedToClustersAndListeners();
    expect(names(cds).sort()).toEqual(['c1', 'c2']);
    expect(names(lds).sort()).toEqual(['l1', 'l2']);

    h.server.setSnapshot('gw-1', [listener('l1'), cluster('c2')]);
    const [clusters, listeners] = [await stream.next(), await stream.next()];
    expect([clusters.typeUrl, names(clusters)]).toEqual([TypeUrl.Cluster, ['c2']]);
    expect([listeners.typeUrl, names(listeners)]).toEqual([TypeUrl.Listener, ['l1']]);

    h.server.setSnapshot('gw-1', []);
    expect(names(await stream.next())).toEqual([]);
    expect(names(await stream.next())).toEqual([]);
  });

  it('answers CDS asked for by name (as gRPC clients do) with the names that exist, so a removed cluster is let go of', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [cluster('c1'), cluster('c2'), cluster('c9')]);
    const stream = h.client.sotw();
    stream.send(request(TypeUrl.Cluster, { node: node('gw-1'), resourceNames: ['c1', 'c2'] }));
    const both = await stream.next();
    expect(names(both).sort()).toEqual(['c1', 'c2']);
    stream.send(ack(both, ['c1', 'c2']));
    await serverSawAck('gw-1', both);

    // c1 is replaced by c3; the client still asks for c1 (its routes use it until c3 is ready) and adds c3.
    h.server.setSnapshot('gw-1', [cluster('c2'), cluster('c3'), cluster('c9')]);
    const withoutC1 = await stream.next();
    expect(names(withoutC1)).toEqual(['c2']);
    stream.send(ack(withoutC1, ['c1', 'c2', 'c3']));
    expect(names(await stream.next()).sort()).toEqual(['c2', 'c3']);
  });

  it('pushes CDS → EDS → LDS → RDS when all four change at once, whatever order they were subscribed in', async () => {
    h = await startHarness(schemas);
    const v1 = [listener('l1', 'r1'), route('r1', 'c1'), cluster('c1'), endpoints('c1', 9000)];
    h.server.setSnapshot('gw-1', v1);
    const stream = h.client.sotw();
    const subscriptions: Array<[string, string[]]> = [
      [TypeUrl.RouteConfiguration, ['r1']],
      [TypeUrl.Listener, []],
      [TypeUrl.ClusterLoadAssignment, ['c1']],
      [TypeUrl.Cluster, []],
    ];
    for (const [typeUrl, resourceNames] of subscriptions) {
      stream.send(request(typeUrl, { node: node('gw-1'), resourceNames }));
      const response = await stream.next();
      stream.send(ack(response, resourceNames));
      await serverSawAck('gw-1', response);
    }
    h.server.setSnapshot('gw-1', [listener('l1', 'r1', 8081), route('r1', 'c1', '/v2'), cluster('c1', 5), endpoints('c1', 9001)]);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await stream.next()).typeUrl);
    expect(order).toEqual([TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment, TypeUrl.Listener, TypeUrl.RouteConfiguration]);
  });

  it('debounces a burst of snapshot updates into one push of the last one', async () => {
    h = await startHarness(schemas, { debounce: { quietMs: 60, maxMs: 1000 } });
    h.server.setSnapshot('gw-1', [listener('l1'), cluster('c1')]);
    h.server.flush();
    const { stream } = await subscribedToClustersAndListeners();
    for (let tag = 2; tag <= 20; tag++) h.server.setSnapshot('gw-1', [listener('l1'), cluster('c1', tag)]);
    const push = await stream.next();
    expect(h.protos.decode(TypeUrl.Cluster, push.resources[0].value).connectTimeout).toEqual({ seconds: 20 });
    expect(await stream.drain(200)).toEqual([]);
    expect(h.server.counters()[TypeUrl.Cluster].pushes).toBe(2);
  });

  it('serves nodes without a snapshot of their own from the fallback group and pushes only to the group that changed', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot(FALLBACK_NODE_GROUP, [cluster('shared')]);
    const a = h.client.sotw();
    const b = h.client.sotw();
    a.send(request(TypeUrl.Cluster, { node: node('gw-a') }));
    b.send(request(TypeUrl.Cluster, { node: node('gw-b') }));
    const [fromA, fromB] = [await a.next(), await b.next()];
    expect(names(fromA)).toEqual(['shared']);
    expect(names(fromB)).toEqual(['shared']);
    a.send(ack(fromA));
    b.send(ack(fromB));
    await serverSawAck('gw-a', fromA);
    await serverSawAck('gw-b', fromB);

    h.server.setSnapshot('gw-a', [cluster('own')]);
    expect(names(await a.next())).toEqual(['own']);
    expect(await b.drain(150)).toEqual([]);
    expect(h.server.streams().map((s) => [s.nodeId, s.group]).sort()).toEqual([
      ['gw-a', 'gw-a'],
      ['gw-b', 'gw-b'],
    ]);
  });

  it('keeps serving the last good snapshot when an update does not encode, and reports why', async () => {
    const errors: Array<{ group: string; error: Error }> = [];
    h = await startHarness(schemas, { observer: { onSnapshotError: (e) => errors.push(e) } });
    h.server.setSnapshot('gw-1', [listener('l1'), cluster('c1')]);
    const { stream } = await subscribedToClustersAndListeners();
    h.server.setSnapshot('gw-1', [listener('l2'), { typeUrl: TypeUrl.Cluster, name: 'c1', body: { name: 'c1', connectTimeout: 'soon' } }]);
    expect(await stream.drain(100)).toEqual([]);
    expect(errors).toEqual([{ group: 'gw-1', error: expect.objectContaining({ message: expect.stringContaining('connectTimeout') }) }]);
    h.server.setSnapshot('gw-1', [listener('l2'), cluster('c1')]);
    expect(names(await stream.next())).toEqual(['l2']);
  });

  it('answers a stream that reconnects (empty nonce) even when it already runs the current version', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [cluster('c1')]);
    const first = h.client.sotw();
    first.send(request(TypeUrl.Cluster, { node: node('gw-1') }));
    const cds = await first.next();
    first.cancel();
    const again = h.client.sotw();
    again.send(request(TypeUrl.Cluster, { node: node('gw-1'), versionInfo: cds.versionInfo }));
    expect((await again.next()).versionInfo).toBe(cds.versionInfo);
  });

  it('ends every stream when the server stops', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [cluster('c1')]);
    const stream = h.client.sotw();
    stream.send(request(TypeUrl.Cluster, { node: node('gw-1') }));
    await stream.next();
    await h.server.stop();
    await expect(stream.ended()).resolves.toBeInstanceOf(Error);
    expect(h.server.streams()).toEqual([]);
  });
});
