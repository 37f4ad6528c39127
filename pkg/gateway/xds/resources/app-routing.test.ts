import { describe, expect, it } from 'vitest';
import { TypeUrl } from '../envoy-protos.ts';
import { buildGatewayResources } from './build.ts';
import { aliceState, Tokens } from './testing/alice-state.ts';
import { GatewayRouting } from './testing/envoy-routing.ts';

const routing = () => new GatewayRouting(buildGatewayResources(aliceState()).resources);
const peer = (source: string, token: string, service: string) => ({
  authority: '203.0.113.7',
  headers: { 'Kuscia-Host': service, 'Kuscia-Source': source, 'Kuscia-Token': token },
});

describe('internal listener: apps calling peers', () => {
  it("sends `<svc>.<peer>.svc` to the peer's gateway with Kuscia's identity headers and the current token", () => {
    const outcome = routing().internal({ authority: 'engine.bob.svc:8080', path: '/v1/ping' });
    expect(outcome).toMatchObject({ kind: 'cluster', cluster: 'alice-to-bob-http', virtualHost: 'alice-to-bob' });
    if (outcome.kind !== 'cluster') throw new Error('unreachable');
    expect(outcome.headers).toEqual({
      'x-interconn-protocol': 'kuscia',
      'kuscia-host': 'engine.bob.svc',
      'kuscia-source': 'alice',
      'kuscia-token': Tokens.aliceToBob,
      'kuscia-origin-source': 'alice',
    });
    // bob's gateway is behind an L7 proxy under /gw/bob.
    expect(outcome.route.route.prefixRewrite).toBe('/gw/bob/');
  });

  it('overwrites identity headers an app tries to set itself', () => {
    const outcome = routing().internal({ authority: 'engine.bob.svc', headers: { 'Kuscia-Token': 'mine', 'Kuscia-Host': 'elsewhere' } });
    if (outcome.kind !== 'cluster') throw new Error(`got ${outcome.kind}`);
    expect(outcome.headers['kuscia-token']).toBe(Tokens.aliceToBob);
    expect(outcome.headers['kuscia-host']).toBe('engine.bob.svc');
  });

  it("sends gRPC to the peer's gRPC port and everything else to its HTTP port", () => {
    const r = routing();
    expect(r.internal({ authority: 'engine.bob.svc', headers: { 'content-type': 'application/grpc+proto' } })).toMatchObject({ cluster: 'alice-to-bob-grpc' });
    expect(r.internal({ authority: 'engine.bob.svc', headers: { 'content-type': 'application/json' } })).toMatchObject({ cluster: 'alice-to-bob-http' });
  });

  it('sends the literal noop token on MTLS / None routes, as Kuscia', () => {
    const outcome = routing().internal({ authority: 'engine.dave.svc' });
    expect(outcome).toMatchObject({ kind: 'cluster', cluster: 'alice-to-dave-http' });
    if (outcome.kind === 'cluster') expect(outcome.headers['kuscia-token']).toBe('noop');
  });

  it('has no route to a peer before the handshake produced a token: 404 with Kuscia-Error-Message', () => {
    expect(routing().internal({ authority: 'engine.carol.svc' })).toEqual({
      kind: 'direct',
      status: 404,
      virtualHost: 'default-virtual-host',
      responseHeaders: { 'Kuscia-Error-Message': 'Domain alice.alice-gw-0: Service "engine.carol.svc" not found.' },
    });
  });

  it('routes the handshake client by the cluster it names, with or without a route to that peer yet', () => {
    const r = routing();
    for (const [host, cluster] of [['kuscia-handshake.carol.svc', 'alice-to-carol-http'], ['kuscia-handshake.bob.svc', 'alice-to-bob-http']]) {
      const outcome = r.internal({ authority: host, path: '/handshake', headers: { 'Kuscia-Handshake-Cluster': cluster, 'Kuscia-Source': 'alice' } });
      expect(outcome).toMatchObject({ kind: 'cluster', cluster });
      // No token on the handshake and no path rewrite (the client sends the peer's prefix itself).
      if (outcome.kind === 'cluster') expect([outcome.headers['kuscia-token'], outcome.route.route.prefixRewrite]).toEqual([undefined, undefined]);
    }
  });

  it("answers unknown names with 404 and gRPC's UNAVAILABLE for gRPC callers", () => {
    expect(routing().internal({ authority: 'nothing.alice.svc', headers: { 'content-type': 'application/grpc' } })).toMatchObject({
      status: 404,
      responseHeaders: { 'grpc-status': '14' },
    });
  });
});

describe('local services: who may call them', () => {
  it('serves own apps every local service by `<svc>.<ns>.svc` and by bare name', () => {
    const r = routing();
    for (const name of ['engine-domain', 'engine-peers', 'open', 'grpc-svc']) {
      expect(r.internal({ authority: `${name}.alice.svc` })).toMatchObject({ kind: 'cluster', cluster: `service-${name}` });
      expect(r.internal({ authority: name })).toMatchObject({ kind: 'cluster', cluster: `service-${name}` });
    }
  });

  it('keeps a Domain-scope port to its own domain: an authenticated peer gets 404', () => {
    expect(routing().external(peer('bob', Tokens.bobCurrent, 'engine-domain.alice.svc'))).toEqual({ kind: 'no-route', status: 404, virtualHost: 'service-engine-domain-internal' });
  });

  it('lets only the access-domain peers reach an annotated service', () => {
    const r = routing();
    expect(r.external(peer('bob', Tokens.bobCurrent, 'engine-peers.alice.svc'))).toMatchObject({ kind: 'cluster', cluster: 'service-engine-peers' });
    expect(r.external(peer('carol', '', 'engine-peers.alice.svc'))).toMatchObject({ kind: 'no-route', status: 404 });
    expect(r.external(peer('carol', '', 'open.alice.svc'))).toMatchObject({ kind: 'cluster', cluster: 'service-open' });
  });

  it("does not relay a peer's request to another peer under our identity", () => {
    expect(routing().external(peer('bob', Tokens.bobCurrent, 'engine.dave.svc'))).toMatchObject({ kind: 'no-route', status: 404, virtualHost: 'alice-to-dave' });
  });

  it('does not let a peer pick one of our clusters by naming it as a handshake cluster', () => {
    const request = peer('bob', Tokens.bobCurrent, 'whatever.nowhere');
    const naming = { ...request, headers: { ...request.headers, 'Kuscia-Handshake-Cluster': 'service-engine-domain' } };
    expect(routing().external(naming)).toMatchObject({ kind: 'direct', status: 404 });
    // Nor if the header reached the internal listener with a peer's identity.
    const inside = { authority: 'whatever.nowhere', headers: { 'Kuscia-Source': 'bob', 'Kuscia-Handshake-Cluster': 'service-engine-domain' } };
    expect(routing().internal(inside)).toMatchObject({ kind: 'direct', status: 404 });
  });

  it('gives local endpoints over EDS: every ready address on every port; none yet is an empty assignment', () => {
    const r = routing();
    const peers = r.resource(TypeUrl.ClusterLoadAssignment, 'service-engine-peers');
    expect(peers.endpoints[0].lbEndpoints.map((e: any) => `${e.endpoint.address.socketAddress.address}:${e.endpoint.address.socketAddress.portValue}`)).toEqual([
      '10.1.0.1:20002',
      '10.1.0.2:20002',
    ]);
    expect(r.resource(TypeUrl.ClusterLoadAssignment, 'service-not-ready')).toEqual({ clusterName: 'service-not-ready' });
    expect(r.resource(TypeUrl.Cluster, 'service-grpc-svc')).toMatchObject({
      type: 'EDS',
      transportSocket: { name: 'envoy.transport_sockets.tls' },
      typedExtensionProtocolOptions: { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { explicitHttpConfig: { http2ProtocolOptions: {} } } },
    });
  });
});

describe('peer clusters', () => {
  it("health-checks the peer's handshake endpoint every 15 s as Kuscia, over TLS when the port says so", () => {
    const cluster = routing().resource(TypeUrl.Cluster, 'alice-to-bob-http');
    expect(cluster).toMatchObject({
      type: 'STRICT_DNS',
      loadAssignment: { endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: 'bob.example.com', portValue: 1080 } } } }] }] },
      transportSocket: { typedConfig: { sni: 'bob.example.com' } },
    });
    expect(cluster.healthChecks).toEqual([
      {
        timeout: { seconds: 1 },
        interval: { seconds: 15 },
        unhealthyInterval: { seconds: 3 },
        unhealthyThreshold: { value: 1 },
        healthyThreshold: { value: 1 },
        httpHealthCheck: {
          host: 'bob.example.com',
          path: '/gw/bob/handshake',
          requestHeadersToAdd: [
            { header: { key: 'Kuscia-Host', value: 'kuscia-handshake.bob.svc' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' },
            { header: { key: 'Kuscia-Source', value: 'alice' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' },
          ],
        },
      },
    ]);
    expect(routing().resource(TypeUrl.Cluster, 'alice-to-bob-grpc').transportSocket).toBeUndefined();
  });
});
