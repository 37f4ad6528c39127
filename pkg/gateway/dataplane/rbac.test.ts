import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvoyProtos } from '../xds/envoy-protos.ts';
import { type DataPlane, startDataPlane } from './dataplane.ts';
import { exactHeader, header, listener, rbacFilter, ROUTER_FILTER, routeConfig, staticCluster } from './testing/envoy-resources.ts';
import { httpRequest } from './testing/http-client.ts';
import { type EchoServer, startEchoServer } from './testing/upstreams.ts';

const RBAC_PER_ROUTE = 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute';

/** alice may call with either of her two live token revisions; bob with his one. */
function peerPolicies(): Record<string, unknown> {
  const peer = (source: string, tokens: string[]) => ({
    permissions: [{ any: true }],
    principals: [{ andIds: { ids: [exactHeader('Kuscia-Source', source), { orIds: { ids: tokens.map((t) => exactHeader('Kuscia-Token', t)) } }] } }],
  });
  return { rules: { policies: { alice: peer('alice', ['token-rev-1', 'token-rev-2']), bob: peer('bob', ['bob-token']) } } };
}

describe('built-in data plane: RBAC per route and local reply mapping', () => {
  let dp: DataPlane;
  let upstream: EchoServer;
  let port: number;

  beforeAll(async () => {
    upstream = await startEchoServer('app');
    dp = await startDataPlane({ nodeId: 'test', log: pino({ level: 'silent' }), protos: await loadEnvoyProtos() });
    await dp.applyResources([
      staticCluster('app', [{ port: upstream.port }]),
      listener('external', 0, {
        serverName: 'kuscia-gateway',
        // Deny by default: the listener never holds a token; routes bring their policies (RDS).
        httpFilters: [rbacFilter({}), ROUTER_FILTER],
        localReplyConfig: {
          mappers: [
            {
              filter: { statusCodeFilter: { comparison: { value: { defaultValue: 403, runtimeKey: 'unauthorized' } } } },
              statusCode: { value: 401 },
              bodyFormatOverride: { jsonFormat: { fields: { reason: { stringValue: 'unauthorized.' }, domain: { stringValue: 'bob' }, code: { stringValue: '%RESPONSE_CODE%' } } } },
              headersToAdd: [header('Kuscia-Error-Message', 'Domain bob<--%REQ(:authority)% return http code 401.')],
            },
          ],
        },
      }),
      routeConfig('external-route', [
        {
          name: 'handshake',
          domains: ['kuscia-handshake.bob.svc'],
          routes: [{ match: { prefix: '/' }, route: { cluster: 'app' }, typedPerFilterConfig: { 'envoy.filters.http.rbac': { '@type': RBAC_PER_ROUTE } } }],
        },
        {
          name: 'default',
          domains: ['*'],
          typedPerFilterConfig: { 'envoy.filters.http.rbac': { '@type': RBAC_PER_ROUTE, rbac: peerPolicies() } },
          routes: [
            {
              match: { prefix: '/public' },
              route: { cluster: 'app' },
              typedPerFilterConfig: { 'envoy.filters.http.rbac': { '@type': 'type.googleapis.com/envoy.config.route.v3.FilterConfig', disabled: true } },
            },
            { match: { prefix: '/' }, route: { cluster: 'app' } },
          ],
        },
      ]),
    ]);
    port = dp.listeners()[0].port;
  });

  afterAll(async () => {
    await dp?.stop();
    await upstream?.close();
  });

  const call = (headers: Record<string, string>, path = '/api') => httpRequest(port, { path, headers: { host: 'data.bob.svc', ...headers } });

  it('refuses a missing or forged token with 401 and the mapped JSON body', async () => {
    const attempts: Array<Record<string, string>> = [{}, { 'kuscia-source': 'alice' }, { 'kuscia-source': 'alice', 'kuscia-token': 'forged' }, { 'kuscia-source': 'alice', 'kuscia-token': 'bob-token' }];
    for (const headers of attempts) {
      const res = await call(headers);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body).toBe('{"code":401,"domain":"bob","reason":"unauthorized."}\n');
      expect(res.headers['kuscia-error-message']).toBe('Domain bob<--data.bob.svc return http code 401.');
      expect(res.headers.server).toBe('kuscia-gateway');
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('admits either of the two live token revisions of the source', async () => {
    for (const token of ['token-rev-1', 'token-rev-2']) {
      const res = await call({ 'kuscia-source': 'alice', 'kuscia-token': token });
      expect(res.status).toBe(200);
    }
    expect((await call({ 'kuscia-source': 'bob', 'kuscia-token': 'bob-token' })).status).toBe(200);
  });

  it('skips RBAC where a route or virtual host disables it', async () => {
    expect((await call({}, '/public/x')).status).toBe(200);
    expect((await httpRequest(port, { path: '/handshake', headers: { host: 'kuscia-handshake.bob.svc' } })).status).toBe(200);
  });

  it('answers gRPC callers with a trailers-only local reply', async () => {
    const res = await call({ 'content-type': 'application/grpc' });
    expect(res.status).toBe(200);
    expect(res.headers['grpc-status']).toBe('16');
    expect(res.headers['grpc-message']).toBe('{"code":401,"domain":"bob","reason":"unauthorized."}');
  });
});
