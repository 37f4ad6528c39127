import net from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.ts';
import { loadEnvoyProtos } from '../xds/envoy-protos.ts';
import { type DataPlane, startDataPlane } from './dataplane.ts';
import { assignment, edsCluster, header, listener, routeConfig, staticCluster } from './testing/envoy-resources.ts';
import { httpRequest } from './testing/http-client.ts';
import { type EchoServer, startEchoServer } from './testing/upstreams.ts';

/** A port nothing listens on (bound, read, released). */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const healthCheck = {
  timeout: { nanos: 300_000_000 },
  interval: { nanos: 100_000_000 },
  noTrafficInterval: { nanos: 100_000_000 },
  unhealthyThreshold: { value: 1 },
  healthyThreshold: { value: 1 },
  httpHealthCheck: { host: 'health.internal', path: '/handshake', requestHeadersToAdd: [header('Kuscia-Source', 'alice')] },
};

describe('built-in data plane: clusters, endpoints and health checks', () => {
  let dp: DataPlane;
  let a: EchoServer;
  let b: EchoServer;
  let port: number;

  beforeAll(async () => {
    [a, b] = await Promise.all([startEchoServer('a'), startEchoServer('b')]);
    dp = await startDataPlane({ nodeId: 'test', log: pino({ level: 'silent' }), protos: await loadEnvoyProtos() });
    await dp.applyResources([
      edsCluster('svc'),
      assignment('svc', [a.port, b.port]),
      listener('edge', 0),
      routeConfig('edge-route', [
        {
          name: 'all',
          domains: ['*'],
          routes: [
            { match: { prefix: '/checked' }, route: { cluster: 'checked' } },
            { match: { prefix: '/' }, route: { cluster: 'svc', autoHostRewrite: { value: true } } },
          ],
        },
      ]),
    ]);
    port = dp.listeners()[0].port;
  });

  afterAll(async () => {
    await dp?.stop();
    await Promise.all([a?.close(), b?.close()]);
  });

  it('balances round robin over the EDS endpoints and follows assignment updates', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add(JSON.parse((await httpRequest(port, { path: '/x' })).body).upstream);
    expect([...seen].sort()).toEqual(['a', 'b']);
    await dp.applyResources([assignment('svc', [b.port])]);
    for (let i = 0; i < 4; i++) expect(JSON.parse((await httpRequest(port, { path: '/x' })).body).upstream).toBe('b');
    expect(dp.stats().clusters.find((c) => c.name === 'svc')?.membershipTotal).toBe(1);
  });

  it('marks a dead endpoint unhealthy and sends traffic only to the healthy one', async () => {
    const dead = await deadPort();
    await dp.applyResources([
      edsCluster('svc'),
      staticCluster('checked', [{ port: a.port }, { port: dead }], { healthChecks: [healthCheck] }),
    ]);
    await eventually(() => {
      const checked = dp.stats().clusters.find((c) => c.name === 'checked');
      expect(checked?.membershipHealthy).toBe(1);
      expect(checked?.hosts.find((h) => h.address.endsWith(`:${dead}`))).toMatchObject({ healthy: false, pendingFirstCheck: false });
    });
    const probe = a.requests.find((r) => r.url === '/handshake');
    expect(probe?.headers.host).toBe('health.internal');
    expect(probe?.headers['kuscia-source']).toBe('alice');
    expect(probe?.headers['user-agent']).toBe('Envoy/HC');
    for (let i = 0; i < 6; i++) expect((await httpRequest(port, { path: '/checked' })).status).toBe(200);
    const stats = dp.stats().clusters.find((c) => c.name === 'checked');
    expect(stats?.connectFailures).toBe(0);
    expect(stats?.responses['2xx']).toBe(6);
  });

  it('brings an endpoint back once its health check passes again', async () => {
    const revived = await deadPort();
    await dp.applyResources([
      edsCluster('svc'),
      staticCluster('checked', [{ port: revived }], { healthChecks: [healthCheck] }),
    ]);
    await eventually(() => expect(dp.stats().clusters.find((c) => c.name === 'checked')?.hosts[0]).toMatchObject({ healthy: false, pendingFirstCheck: false }));
    // All hosts unhealthy: Envoy's panic mode still tries them, and the connection fails → 503.
    const refused = await httpRequest(port, { path: '/checked' });
    expect(refused.status).toBe(503);
    expect(refused.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
    });
    await new Promise<void>((r) => server.listen(revived, '127.0.0.1', r));
    try {
      await eventually(() => expect(dp.stats().clusters.find((c) => c.name === 'checked')?.membershipHealthy).toBe(1));
    } finally {
      server.close();
      for (const s of sockets) s.destroy();
    }
  });
});
