import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnvoyProtos, loadEnvoyProtos, TypeUrl } from '../xds/envoy-protos.ts';
import { type DataPlane, startDataPlane } from './dataplane.ts';
import { assignment, edsCluster, listener, ROUTER_FILTER, routeConfig } from './testing/envoy-resources.ts';
import { FakeAdsServer } from './testing/fake-ads-server.ts';
import { httpRequest } from './testing/http-client.ts';
import { type EchoServer, startEchoServer } from './testing/upstreams.ts';

/** A standard filter the built-in data plane does not implement. */
const BRIDGE_FILTER = { name: 'envoy.filters.http.grpc_http1_bridge', typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.grpc_http1_bridge.v3.Config' } };

describe('built-in data plane: ADS client', () => {
  let protos: EnvoyProtos;
  let ads: FakeAdsServer;
  let dp: DataPlane;
  let upstream: EchoServer;

  beforeAll(async () => {
    protos = await loadEnvoyProtos();
    upstream = await startEchoServer('app');
    ads = new FakeAdsServer(protos);
    const adsPort = await ads.start();
    dp = await startDataPlane({ adsAddress: `127.0.0.1:${adsPort}`, nodeId: 'kuscia-gateway-alice-host', log: pino({ level: 'silent' }), protos, adsBackoff: { initialMs: 50, maxMs: 200 } });
  });

  afterAll(async () => {
    await dp?.stop();
    ads?.stop();
    await upstream?.close();
  });

  it('subscribes to CDS and LDS by wildcard with its node id, then EDS and RDS by name, and ACKs', async () => {
    const cds = await ads.waitFor((r) => r.typeUrl === TypeUrl.Cluster);
    expect(cds.node.id).toBe('kuscia-gateway-alice-host');
    expect(cds.resourceNames).toEqual([]);
    await ads.waitFor((r) => r.typeUrl === TypeUrl.Listener);

    const cdsNonce = ads.push(TypeUrl.Cluster, 'c1', [edsCluster('app')]);
    await ads.waitFor((r) => r.typeUrl === TypeUrl.Cluster && r.responseNonce === cdsNonce && r.versionInfo === 'c1' && !r.errorDetail);
    const eds = await ads.waitFor((r) => r.typeUrl === TypeUrl.ClusterLoadAssignment);
    expect(eds.resourceNames).toEqual(['app']);
    const edsNonce = ads.push(TypeUrl.ClusterLoadAssignment, 'e1', [assignment('app', [upstream.port])]);
    await ads.waitFor((r) => r.typeUrl === TypeUrl.ClusterLoadAssignment && r.responseNonce === edsNonce && r.versionInfo === 'e1');

    const ldsNonce = ads.push(TypeUrl.Listener, 'l1', [listener('edge', 0)]);
    await ads.waitFor((r) => r.typeUrl === TypeUrl.Listener && r.responseNonce === ldsNonce && r.versionInfo === 'l1' && !r.errorDetail);
    const rds = await ads.waitFor((r) => r.typeUrl === TypeUrl.RouteConfiguration);
    expect(rds.resourceNames).toEqual(['edge-route']);
    const rdsNonce = ads.push(TypeUrl.RouteConfiguration, 'r1', [
      routeConfig('edge-route', [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'app' } }] }]),
    ]);
    await ads.waitFor((r) => r.typeUrl === TypeUrl.RouteConfiguration && r.responseNonce === rdsNonce && r.versionInfo === 'r1');

    const res = await httpRequest(dp.listeners()[0].port, { path: '/hello' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).upstream).toBe('app');
    expect(dp.stats().xds?.versions[TypeUrl.Listener]).toBe('l1');
  });

  it('NACKs a listener with an unsupported non-optional filter and keeps serving the previous one', async () => {
    const port = dp.listeners()[0].port;
    const bad = listener('edge', 0, { httpFilters: [BRIDGE_FILTER, ROUTER_FILTER] });
    const nonce = ads.push(TypeUrl.Listener, 'l2', [bad]);
    const nack = await ads.waitFor((r) => r.typeUrl === TypeUrl.Listener && r.responseNonce === nonce);
    expect(nack.versionInfo).toBe('l1');
    expect(nack.errorDetail?.code).toBe(3);
    expect(nack.errorDetail?.message).toContain('envoy.extensions.filters.http.grpc_http1_bridge.v3.Config is not supported');
    expect(dp.stats().xds?.rejected[TypeUrl.Listener]).toContain('grpc_http1_bridge');
    expect((await httpRequest(port, { path: '/still' })).status).toBe(200);

    // The same filter marked optional is skipped, and the update is accepted.
    const okNonce = ads.push(TypeUrl.Listener, 'l3', [listener('edge', 0, { httpFilters: [{ ...BRIDGE_FILTER, isOptional: true }, ROUTER_FILTER] })]);
    const ack = await ads.waitFor((r) => r.typeUrl === TypeUrl.Listener && r.responseNonce === okNonce);
    expect(ack.versionInfo).toBe('l3');
    expect(ack.errorDetail).toBeUndefined();
    expect((await httpRequest(dp.listeners()[0].port, { path: '/again' })).status).toBe(200);
  });

  it('reconnects after the stream drops, resuming from the accepted versions, and keeps serving meanwhile', async () => {
    const before = ads.requests.length;
    ads.dropStream();
    expect((await httpRequest(dp.listeners()[0].port, { path: '/during' })).status).toBe(200);
    const cds = await ads.waitFor((r) => ads.requests.indexOf(r) >= before && r.typeUrl === TypeUrl.Cluster && r.stream > 1);
    expect(cds.versionInfo).toBe('c1');
    expect(cds.responseNonce).toBe('');
    const eds = await ads.waitFor((r) => ads.requests.indexOf(r) >= before && r.typeUrl === TypeUrl.ClusterLoadAssignment && r.stream > 1);
    expect(eds).toMatchObject({ versionInfo: 'e1', resourceNames: ['app'] });
    // Removing the cluster unsubscribes its assignment.
    const nonce = ads.push(TypeUrl.Cluster, 'c2', []);
    await ads.waitFor((r) => r.typeUrl === TypeUrl.Cluster && r.responseNonce === nonce && r.versionInfo === 'c2');
    expect(dp.stats().xds?.connected).toBe(true);
    await ads.waitFor((r) => r.typeUrl === TypeUrl.ClusterLoadAssignment && r.stream > 1 && r.resourceNames.length === 0);
    expect((await httpRequest(dp.listeners()[0].port, { path: '/gone' })).status).toBe(503);
  });
});
