import net from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvoyProtos } from '../xds/envoy-protos.ts';
import { type DataPlane, startDataPlane } from './dataplane.ts';
import { header, listener, routeConfig, staticCluster } from './testing/envoy-resources.ts';
import { httpRequest } from './testing/http-client.ts';
import { type EchoServer, startEchoServer } from './testing/upstreams.ts';

describe('built-in data plane: HTTP/1.1 routing', () => {
  let dp: DataPlane;
  let alice: EchoServer;
  let exact: EchoServer;
  let port: number;

  beforeAll(async () => {
    [alice, exact] = await Promise.all([startEchoServer('alice'), startEchoServer('exact')]);
    dp = await startDataPlane({ nodeId: 'test', log: pino({ level: 'silent' }), protos: await loadEnvoyProtos() });
    await dp.applyResources([
      staticCluster('alice-up', [{ port: alice.port }]),
      staticCluster('exact-up', [{ port: exact.port }]),
      listener('edge', 0, { stripAnyHostPort: true, serverName: 'kuscia-gateway' }),
      routeConfig('edge-route', [
        {
          name: 'alice',
          domains: ['*.alice.svc'],
          routes: [
            {
              match: { prefix: '/api/' },
              route: { cluster: 'alice-up', prefixRewrite: '/v1/' },
              requestHeadersToAdd: [header('Kuscia-Host', '%REQ(:authority)%'), header('Kuscia-Source', 'bob'), header('x-trace', 'one', 'APPEND_IF_EXISTS_OR_ADD')],
              requestHeadersToRemove: ['x-secret'],
            },
            { match: { safeRegex: { regex: '/items/[0-9]+' }, headers: [{ name: 'x-mode', presentMatch: true }] }, route: { cluster: 'exact-up' } },
          ],
          responseHeadersToAdd: [header('x-vhost', 'alice')],
        },
        { name: 'exact', domains: ['exact.example'], routes: [{ match: { path: '/only' }, route: { cluster: 'exact-up' } }] },
        {
          name: 'default',
          domains: ['*'],
          routes: [{ match: { prefix: '/' }, directResponse: { status: 404, body: { inlineString: 'Service not found.' } }, responseHeadersToAdd: [header('x-not-found', '%REQ(:authority)%')] }],
        },
      ]),
    ]);
    port = dp.listeners()[0].port;
  });

  afterAll(async () => {
    await dp?.stop();
    await Promise.all([alice?.close(), exact?.close()]);
  });

  it('routes by Host (port stripped) with route headers and a prefix rewrite', async () => {
    const res = await httpRequest(port, { path: '/api/items?x=1', headers: { host: 'data.alice.svc:8080', 'kuscia-source': 'forged', 'x-trace': 'zero', 'x-secret': 's' } });
    expect(res.status).toBe(200);
    const seen = JSON.parse(res.body) as { upstream: string; url: string; headers: Record<string, string> };
    expect(seen.upstream).toBe('alice');
    expect(seen.url).toBe('/v1/items?x=1');
    expect(seen.headers['kuscia-host']).toBe('data.alice.svc');
    expect(seen.headers.host).toBe('data.alice.svc');
    expect(seen.headers['kuscia-source']).toBe('bob');
    expect(seen.headers['x-trace']).toBe('zero, one');
    expect(seen.headers['x-secret']).toBeUndefined();
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(res.headers['x-vhost']).toBe('alice');
    expect(res.headers.server).toBe('kuscia-gateway');
  });

  it('matches regex paths with header conditions, exact domains and exact paths', async () => {
    const regex = await httpRequest(port, { path: '/items/42?q', headers: { host: 'x.alice.svc', 'x-mode': '' } });
    expect(JSON.parse(regex.body).upstream).toBe('exact');
    const noHeader = await httpRequest(port, { path: '/items/42', headers: { host: 'x.alice.svc' } });
    expect(noHeader.status).toBe(404);
    expect(noHeader.body).toBe('');
    const exactPath = await httpRequest(port, { path: '/only?z=1', headers: { host: 'EXACT.example' } });
    expect(JSON.parse(exactPath.body).upstream).toBe('exact');
    const notExact = await httpRequest(port, { path: '/only/more', headers: { host: 'exact.example' } });
    expect(notExact.status).toBe(404);
  });

  it('routes an absolute-form request (as HTTP proxy clients send it) by the URL authority', async () => {
    const res = await httpRequest(port, { path: 'http://data.alice.svc:8080/api/v?x=2', headers: { host: 'ignored.example' } });
    expect(res.status).toBe(200);
    const seen = JSON.parse(res.body) as { url: string; headers: Record<string, string> };
    expect(seen.url).toBe('/v1/v?x=2');
    expect(seen.headers['kuscia-host']).toBe('data.alice.svc');
  });

  it('refuses HTTP/1.0 unless the connection manager accepts it (426)', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end('GET /api/x HTTP/1.0\r\nHost: data.alice.svc\r\n\r\n'));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply.split('\r\n')[0]).toBe('HTTP/1.1 426 Upgrade Required');
    expect(alice.requests.some((r) => r.url === '/v1/x')).toBe(false);
  });

  it('answers a direct response with the route response headers', async () => {
    const res = await httpRequest(port, { path: '/anything', headers: { host: 'nobody.bob.svc' } });
    expect(res.status).toBe(404);
    expect(res.body).toBe('Service not found.');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['x-not-found']).toBe('nobody.bob.svc');
  });

  it('answers 503 "no healthy upstream" for a cluster without endpoints and 503 for an unknown cluster', async () => {
    await dp.applyResources([
      staticCluster('alice-up', [{ port: alice.port }]),
      staticCluster('exact-up', []),
    ]);
    const res = await httpRequest(port, { path: '/only', headers: { host: 'exact.example' } });
    expect(res.status).toBe(503);
    expect(res.body).toBe('no healthy upstream');
    await dp.applyResources([staticCluster('alice-up', [{ port: alice.port }])]);
    const unknown = await httpRequest(port, { path: '/only', headers: { host: 'exact.example' } });
    expect(unknown.status).toBe(503);
    await dp.applyResources([staticCluster('alice-up', [{ port: alice.port }]), staticCluster('exact-up', [{ port: exact.port }])]);
  });
});
