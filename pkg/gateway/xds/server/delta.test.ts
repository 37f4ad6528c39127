import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TypeUrl } from '../envoy-protos.ts';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from './discovery-messages.ts';
import { cluster, endpoints, listener, route } from './testing/fixtures.ts';
import { loadSchemas, startHarness, type XdsHarness } from './testing/harness.ts';

let schemas: Awaited<ReturnType<typeof loadSchemas>>;
let h: XdsHarness;
beforeAll(async () => {
  schemas = await loadSchemas();
});
afterEach(async () => {
  await h?.close();
});

const node = { id: 'gw-1', cluster: 'kuscia' };

function request(typeUrl: string, fields: Partial<DeltaDiscoveryRequest> = {}): Partial<DeltaDiscoveryRequest> {
  return { typeUrl, resourceNamesSubscribe: [], resourceNamesUnsubscribe: [], initialResourceVersions: {}, responseNonce: '', ...fields };
}

const ack = (response: DeltaDiscoveryResponse) => request(response.typeUrl, { responseNonce: response.nonce });

/** name → version of the resources in a response. */
const versions = (r: DeltaDiscoveryResponse) => Object.fromEntries(r.resources.map((x) => [x.name, x.version]));

async function serverSawAck(response: DeltaDiscoveryResponse): Promise<void> {
  await expect.poll(() => h.server.streams()[0]?.types[response.typeUrl]?.ackedVersion, { timeout: 5000 }).toBe(response.systemVersionInfo);
}

describe('ADS incremental (delta)', () => {
  it('sends a wildcard subscriber every cluster with per-resource versions, then only what changed, and deletions in removed_resources', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [cluster('c1'), cluster('c2'), cluster('c3')]);
    const stream = h.client.delta();
    stream.send(request(TypeUrl.Cluster, { node }));
    const first = await stream.next();
    expect(Object.keys(versions(first)).sort()).toEqual(['c1', 'c2', 'c3']);
    expect(first.removedResources).toEqual([]);
    expect(first.resources[0].resource.type_url).toBe(TypeUrl.Cluster);
    stream.send(ack(first));
    await serverSawAck(first);

    h.server.setSnapshot('gw-1', [cluster('c1'), cluster('c2', 9)]);
    const delta = await stream.next();
    expect(Object.keys(versions(delta))).toEqual(['c2']);
    expect(versions(delta).c2).not.toBe(versions(first).c2);
    expect(delta.removedResources).toEqual(['c3']);
    expect(delta.nonce).not.toBe(first.nonce);
    expect(h.protos.decode(TypeUrl.Cluster, delta.resources[0].resource.value)).toMatchObject({ name: 'c2', connectTimeout: { seconds: 9 } });
  });

  it('counts a NACK by nonce, keeps the ACKed version, and still pushes the next change', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [cluster('c1')]);
    const stream = h.client.delta();
    stream.send(request(TypeUrl.Cluster, { node }));
    const first = await stream.next();
    stream.send(ack(first));
    await serverSawAck(first);

    h.server.setSnapshot('gw-1', [cluster('c1', 2)]);
    const rejected = await stream.next();
    stream.send(request(TypeUrl.Cluster, { responseNonce: rejected.nonce, errorDetail: { code: 3, message: 'no' } }));
    await expect.poll(() => h.server.counters()[TypeUrl.Cluster]?.nacks, { timeout: 5000 }).toBe(1);
    const status = h.server.streams()[0].types[TypeUrl.Cluster];
    expect(status.ackedVersion).toBe(first.systemVersionInfo);
    expect(status.lastNack).toMatchObject({ nonce: rejected.nonce, message: 'no' });
    expect(await stream.drain(100)).toEqual([]);

    h.server.setSnapshot('gw-1', [cluster('c1', 3)]);
    expect(Object.keys(versions(await stream.next()))).toEqual(['c1']);
  });

  it('sends only what a reconnecting client lacks, per initial_resource_versions', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [cluster('c1'), cluster('c2')]);
    const before = h.client.delta();
    before.send(request(TypeUrl.Cluster, { node }));
    const held = versions(await before.next());
    before.cancel();

    h.server.setSnapshot('gw-1', [cluster('c1'), cluster('c4')]);
    const after = h.client.delta();
    after.send(request(TypeUrl.Cluster, { node, initialResourceVersions: held }));
    const response = await after.next();
    expect(Object.keys(versions(response))).toEqual(['c4']);
    expect(response.removedResources).toEqual(['c2']);
  });

  it('follows subscribe and unsubscribe of route names, and waits for a name that does not exist yet', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [route('r1'), route('r2')]);
    const stream = h.client.delta();
    stream.send(request(TypeUrl.RouteConfiguration, { node, resourceNamesSubscribe: ['r1'] }));
    const r1 = await stream.next();
    expect(Object.keys(versions(r1))).toEqual(['r1']);

    // Subscriptions count even on a request whose nonce is not the latest: they are deltas.
    stream.send(request(TypeUrl.RouteConfiguration, { responseNonce: 'stale', resourceNamesSubscribe: ['r2', 'r3'], resourceNamesUnsubscribe: ['r1'] }));
    expect(Object.keys(versions(await stream.next()))).toEqual(['r2']);
    h.server.setSnapshot('gw-1', [route('r1', 'changed'), route('r2'), route('r3')]);
    const r3 = await stream.next();
    expect(Object.keys(versions(r3))).toEqual(['r3']);
    expect(r3.removedResources).toEqual([]);
    expect(await stream.drain(100)).toEqual([]);
  });

  it('pushes CDS → EDS → LDS → RDS when all four change at once', async () => {
    h = await startHarness(schemas);
    h.server.setSnapshot('gw-1', [listener('l1', 'r1'), route('r1', 'c1'), cluster('c1'), endpoints('c1')]);
    const stream = h.client.delta();
    const subscriptions: Array<[string, string[]]> = [
      [TypeUrl.Listener, []],
      [TypeUrl.RouteConfiguration, ['r1']],
      [TypeUrl.Cluster, []],
      [TypeUrl.ClusterLoadAssignment, ['c1']],
    ];
    for (const [typeUrl, names] of subscriptions) {
      stream.send(request(typeUrl, { node, resourceNamesSubscribe: names }));
      const response = await stream.next();
      stream.send(ack(response));
      await serverSawAck(response);
    }
    h.server.setSnapshot('gw-1', [listener('l1', 'r1', 9), route('r1', 'c1', '/x'), cluster('c1', 4), endpoints('c1', 9999)]);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await stream.next()).typeUrl);
    expect(order).toEqual([TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment, TypeUrl.Listener, TypeUrl.RouteConfiguration]);
  });
});
