import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvoyProtos, loadEnvoyProtos, PUSH_ORDER, TypeUrl } from '../envoy-protos.ts';
import { buildGatewayResources } from './build.ts';
import { aliceState } from './testing/alice-state.ts';

let protos: EnvoyProtos;
beforeAll(async () => {
  protos = await loadEnvoyProtos();
});

describe('buildGatewayResources', () => {
  it('builds only resources the Envoy protos carry unchanged (protobufjs drops unknown fields silently)', () => {
    const { resources } = buildGatewayResources(aliceState());
    for (const resource of resources) {
      const decoded = protos.decode(resource.typeUrl, protos.encode(resource));
      expect(decoded, `${resource.typeUrl} ${resource.name}`).toEqual(resource.body);
      expect(decoded.name ?? decoded.clusterName).toBe(resource.name);
    }
  });

  it('names and orders resources as Kuscia, in push order CDS → EDS → LDS → RDS', () => {
    const { resources, skipped } = buildGatewayResources(aliceState());
    expect(skipped).toEqual([]);
    expect(resources.map((r) => [r.typeUrl.split('.').at(-1), r.name])).toEqual([
      ['Cluster', 'handshake-cluster'],
      ['Cluster', 'internal-cluster'],
      ['Cluster', 'internal-cluster-grpc'],
      ['Cluster', 'alice-to-bob-http'],
      ['Cluster', 'alice-to-bob-grpc'],
      ['Cluster', 'alice-to-carol-http'],
      ['Cluster', 'alice-to-dave-http'],
      ['Cluster', 'service-engine-domain'],
      ['Cluster', 'service-engine-peers'],
      ['Cluster', 'service-grpc-svc'],
      ['Cluster', 'service-not-ready'],
      ['Cluster', 'service-open'],
      ['ClusterLoadAssignment', 'service-engine-domain'],
      ['ClusterLoadAssignment', 'service-engine-peers'],
      ['ClusterLoadAssignment', 'service-grpc-svc'],
      ['ClusterLoadAssignment', 'service-not-ready'],
      ['ClusterLoadAssignment', 'service-open'],
      ['Listener', 'internal-listener'],
      ['Listener', 'external-listener'],
      ['RouteConfiguration', 'internal-route'],
      ['RouteConfiguration', 'external-route'],
    ]);
    const order = resources.map((r) => PUSH_ORDER.indexOf(r.typeUrl));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('gives byte-identical resources for the same state, whatever the input order', () => {
    const state = aliceState();
    const shuffled = { ...state, outbound: [...state.outbound].reverse(), inbound: [...state.inbound].reverse(), services: [...state.services].reverse() };
    const bytes = (s: typeof state) => buildGatewayResources(s).resources.map((r) => Buffer.from(protos.encode(r)).toString('base64'));
    expect(bytes(shuffled)).toEqual(bytes(state));
  });

  it('listens on the configured ports, and re-injects into its own internal port', () => {
    const { resources } = buildGatewayResources(aliceState());
    const body = (type: string, name: string) => resources.find((r) => r.typeUrl === type && r.name === name)!.body as any;
    expect(body(TypeUrl.Listener, 'internal-listener').address.socketAddress).toEqual({ address: '0.0.0.0', portValue: 18081 });
    expect(body(TypeUrl.Listener, 'external-listener').address.socketAddress).toEqual({ address: '0.0.0.0', portValue: 18082 });
    expect(body(TypeUrl.Cluster, 'internal-cluster').loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress).toEqual({
      address: '127.0.0.1',
      portValue: 18081,
    });
    expect(body(TypeUrl.Cluster, 'handshake-cluster').loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress).toEqual({
      address: '127.0.0.1',
      portValue: 18083,
    });
  });

  it('puts the router last in both listeners (Envoy and grpc-js-xds refuse anything else)', () => {
    for (const listener of buildGatewayResources(aliceState()).resources.filter((r) => r.typeUrl === TypeUrl.Listener)) {
      const filters = (listener.body as any).filterChains[0].filters[0].typedConfig.httpFilters;
      expect(filters.at(-1).name).toBe('envoy.filters.http.router');
    }
  });

  it('leaves out inputs that would make Envoy refuse the whole update, and says why', () => {
    const state = aliceState();
    const { resources, skipped } = buildGatewayResources({
      ...state,
      outbound: [...state.outbound, { ...state.outbound[0], token: 'other' }, { ...state.outbound[1], destination: 'alice' }],
      inbound: [...state.inbound, { source: 'alice', acceptedTokens: 'noop' }],
      services: [...state.services, { name: 'kuscia-handshake', ports: [{ name: 'http', port: 1 }], addresses: ['10.9.9.9'] }],
    });
    expect(skipped).toEqual([
      { kind: 'outbound', name: 'bob', reason: 'duplicate' },
      { kind: 'outbound', name: 'alice', reason: 'destination is this domain' },
      { kind: 'inbound', name: 'alice', reason: 'source is this domain' },
      { kind: 'service', name: 'kuscia-handshake', reason: 'reserved for the handshake' },
    ]);
    expect(resources.map((r) => r.name)).toEqual(buildGatewayResources(state).resources.map((r) => r.name));
  });
});
