import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvoyProtos, loadEnvoyProtos, TypeUrl } from '../envoy-protos.ts';
import { buildGatewayResources } from './build.ts';
import type { GatewayState } from './gateway-state.ts';
import { aliceState, Tokens } from './testing/alice-state.ts';
import { GatewayRouting } from './testing/envoy-routing.ts';

const routing = (state: GatewayState = aliceState()) => new GatewayRouting(buildGatewayResources(state).resources);
/** A peer's request to alice's external port, for one of alice's services. */
const fromPeer = (source: string | undefined, token: string | undefined, service = 'open.alice.svc', extra: Record<string, string> = {}) => ({
  authority: '203.0.113.7:18082',
  path: '/api/v1/run',
  headers: {
    'Kuscia-Host': service,
    ...(source ? { 'Kuscia-Source': source } : {}),
    ...(token ? { 'Kuscia-Token': token } : {}),
    ...extra,
  },
});
const UNAUTHORIZED = {
  kind: 'denied',
  status: 401,
  contentType: 'application/json',
  body: '{"domain":"alice","instance":"alice-gw-0","kuscia":"v1.1.0-ts","reason":"unauthorized."}\n',
  responseHeaders: { 'Kuscia-Error-Message': 'Domain alice.alice-gw-0<--203.0.113.7 return http code 401.' },
};

describe('external listener: per-peer token authentication', () => {
  it("admits a peer with its current or previous token revision, and forwards it to the service as that peer, without the token", () => {
    for (const token of [Tokens.bobCurrent, Tokens.bobPrevious]) {
      const outcome = routing().external(fromPeer('bob', token));
      expect(outcome).toMatchObject({ kind: 'cluster', cluster: 'service-open', virtualHost: 'service-open-internal' });
      if (outcome.kind !== 'cluster') throw new Error('unreachable');
      expect(outcome.headers['kuscia-source']).toBe('bob');
      expect(outcome.headers['kuscia-token']).toBeUndefined();
    }
  });

  it('answers 401 with the original JSON body to a missing, forged, two-revisions-old or other peer\'s token', () => {
    const r = routing();
    expect(r.external(fromPeer('bob', undefined))).toEqual(UNAUTHORIZED);
    expect(r.external(fromPeer('bob', 'Zm9yZ2VkLXRva2VuLTAwMDAwMDAwMDAwMDAwMDAwMDA='))).toEqual(UNAUTHORIZED);
    expect(r.external(fromPeer('bob', Tokens.bobOldest))).toEqual(UNAUTHORIZED);
    expect(r.external(fromPeer('kuscia-system', Tokens.bobCurrent))).toEqual(UNAUTHORIZED);
    expect(r.external(fromPeer('bob', Tokens.master))).toEqual(UNAUTHORIZED);
  });

  it('refuses sources it has no route from, or whose handshake has not produced a token yet', () => {
    const r = routing();
    expect(r.external(fromPeer(undefined, Tokens.bobCurrent))).toEqual(UNAUTHORIZED);
    expect(r.external(fromPeer('mallory', Tokens.bobCurrent))).toEqual(UNAUTHORIZED);
    expect(r.external(fromPeer('erin', ''))).toEqual(UNAUTHORIZED);
    const noInbound = routing({ ...aliceState(), inbound: [] });
    expect(noInbound.external(fromPeer('bob', Tokens.bobCurrent))).toEqual(UNAUTHORIZED);
  });

  it('admits MTLS / None sources (noop) without a token', () => {
    expect(routing().external(fromPeer('carol', undefined))).toMatchObject({ kind: 'cluster', cluster: 'service-open' });
  });

  it('serves the handshake without a token, whether addressed by Kuscia-Host or by Host', () => {
    const r = routing();
    const byHeader = r.external({ authority: '203.0.113.7', path: '/handshake', headers: { 'Kuscia-Host': 'kuscia-handshake.alice.svc', 'Kuscia-Source': 'bob' } });
    expect(byHeader).toMatchObject({ kind: 'cluster', cluster: 'handshake-cluster' });
    expect(r.external({ authority: 'kuscia-handshake.alice.svc', path: '/handshake' })).toMatchObject({ kind: 'cluster', cluster: 'handshake-cluster' });
  });

  it("adds a source's requestHeadersToAdd to that source's requests only", () => {
    const r = routing();
    const master = r.external(fromPeer('kuscia-system', Tokens.master));
    expect(master).toMatchObject({ kind: 'cluster', cluster: 'service-open' });
    if (master.kind === 'cluster') expect(master.headers.authorization).toBe('Bearer sa-token');
    const bob = r.external(fromPeer('bob', Tokens.bobCurrent, 'open.alice.svc', { Authorization: 'Bearer forged' }));
    if (bob.kind === 'cluster') expect(bob.headers.authorization).toBe('Bearer forged');
  });

  it('re-injects gRPC over the HTTP/2 internal cluster', () => {
    const routes = routing().resource(TypeUrl.RouteConfiguration, 'external-route').virtualHosts[1].routes;
    expect(routes.map((r: any) => [r.name, r.route.cluster])).toEqual([
      ['handshake-route', 'handshake-cluster'],
      ['source-kuscia-system-grpc', 'internal-cluster-grpc'],
      ['source-kuscia-system', 'internal-cluster'],
      ['default-route-grpc', 'internal-cluster-grpc'],
      ['default-route', 'internal-cluster'],
    ]);
  });
});

describe('where tokens live', () => {
  let protos: EnvoyProtos;
  beforeAll(async () => {
    protos = await loadEnvoyProtos();
  });
  const bytesOf = (state: GatewayState) =>
    new Map(buildGatewayResources(state).resources.map((r) => [`${r.typeUrl.split('.').at(-1)} ${r.name}`, Buffer.from(protos.encode(r)).toString('hex')]));

  it('keeps every token out of listeners and clusters: outbound ones in internal-route, inbound ones in external-route', () => {
    const { resources } = buildGatewayResources(aliceState());
    const text = (pred: (type: string, name: string) => boolean) =>
      JSON.stringify(resources.filter((r) => pred(r.typeUrl, r.name)).map((r) => r.body));
    const inbound = [Tokens.bobPrevious, Tokens.bobCurrent, Tokens.master];
    for (const token of [...inbound, Tokens.aliceToBob]) {
      expect(text((type) => type === TypeUrl.Listener || type === TypeUrl.Cluster || type === TypeUrl.ClusterLoadAssignment)).not.toContain(token);
    }
    for (const token of inbound) expect(text((_, name) => name === 'external-route')).toContain(token);
    expect(text((_, name) => name === 'internal-route')).toContain(Tokens.aliceToBob);
    expect(text(() => true)).not.toContain(Tokens.bobOldest);
  });

  it('puts the last two revisions of each source in the per-route RBAC config of the default virtual host', () => {
    const vh = routing().resource(TypeUrl.RouteConfiguration, 'external-route').virtualHosts[1];
    const policies = vh.typedPerFilterConfig['envoy.filters.http.rbac'].rbac.rules.policies;
    expect(Object.keys(policies)).toEqual(['bob', 'carol', 'kuscia-system']);
    const bobTokens = policies.bob.principals[0].andIds.ids[1].orIds.ids.map((id: any) => id.header.stringMatch.exact);
    expect(bobTokens).toEqual([Tokens.bobPrevious, Tokens.bobCurrent]);
    expect(policies.carol.principals).toEqual([{ header: { name: 'Kuscia-Source', stringMatch: { exact: 'carol' } } }]);
  });

  it('changes only external-route when a peer rotates its token: listeners stay byte-identical', () => {
    const before = bytesOf(aliceState());
    const rotated = aliceState();
    rotated.inbound = rotated.inbound.map((r) => (r.source === 'bob' ? { ...r, acceptedTokens: [Tokens.bobCurrent, 'TkVXLWJvYi10b2tlbi0wMDAwMDAwMDAwMDAwMDAwMDA='] } : r));
    const after = bytesOf(rotated);
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect([...after.keys()].filter((k) => after.get(k) !== before.get(k))).toEqual(['RouteConfiguration external-route']);
  });

  it('changes only internal-route when our own token to a peer changes', () => {
    const before = bytesOf(aliceState());
    const rotated = aliceState();
    rotated.outbound = rotated.outbound.map((r) => (r.destination === 'bob' ? { ...r, token: 'TkVXLWFsaWNlLXRvLWJvYi0wMDAwMDAwMDAwMDAwMDA=' } : r));
    const after = bytesOf(rotated);
    expect([...after.keys()].filter((k) => after.get(k) !== before.get(k))).toEqual(['RouteConfiguration internal-route']);
  });
});
