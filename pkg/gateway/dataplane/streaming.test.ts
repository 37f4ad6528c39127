import { createHash } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvoyProtos } from '../xds/envoy-protos.ts';
import { type DataPlane, startDataPlane } from './dataplane.ts';
import { HTTP2_UPSTREAM, listener, routeConfig, staticCluster } from './testing/envoy-resources.ts';
import { httpRequest } from './testing/http-client.ts';
import { type EchoServer, startEchoServer } from './testing/upstreams.ts';

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('built-in data plane: streaming', () => {
  let dp: DataPlane;
  let h1: EchoServer;
  let other: EchoServer;
  let h2: http2.Http2Server;
  let h2Port: number;
  let port: number;

  beforeAll(async () => {
    [h1, other] = await Promise.all([startEchoServer('h1'), startEchoServer('other')]);
    // An HTTP/2 (h2c) upstream echoing the body back.
    h2 = http2.createServer();
    h2.on('stream', (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/octet-stream' });
      stream.pipe(stream);
    });
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    h2Port = (h2.address() as AddressInfo).port;
    dp = await startDataPlane({ nodeId: 'test', log: pino({ level: 'silent' }), protos: await loadEnvoyProtos() });
    await dp.applyResources([
      staticCluster('h1', [{ port: h1.port }]),
      staticCluster('other', [{ port: other.port }]),
      staticCluster('h2', [{ port: h2Port }], HTTP2_UPSTREAM),
      listener('edge', 0),
      routeRoutingSlowTo('h1'),
    ]);
    port = dp.listeners()[0].port;
  });

  afterAll(async () => {
    await dp?.stop();
    await Promise.all([h1?.close(), other?.close(), new Promise((r) => h2?.close(r))]);
  });

  function routeRoutingSlowTo(cluster: string) {
    return routeConfig('edge-route', [
      {
        name: 'all',
        domains: ['*'],
        routes: [
          { match: { prefix: '/h2/' }, route: { cluster: 'h2', prefixRewrite: '/' } },
          { match: { prefix: '/slow' }, route: { cluster } },
          { match: { prefix: '/' }, route: { cluster: 'h1' } },
        ],
      },
    ]);
  }

  it('streams a 2 MiB body both ways over HTTP/1.1', async () => {
    const body = Buffer.alloc(2 * MiB);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    const res = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/echo', agent: false }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve(Buffer.concat(chunks)));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(res.length).toBe(body.length);
    expect(sha(res)).toBe(sha(body));
  });

  it('streams a 2 MiB body both ways from an h2c client to an HTTP/1.1 and an HTTP/2 upstream', async () => {
    const body = Buffer.alloc(2 * MiB, 3);
    const client = http2.connect(`http://127.0.0.1:${port}`);
    try {
      for (const path of ['/echo', '/h2/echo']) {
        const got = await new Promise<Buffer>((resolve, reject) => {
          const stream = client.request({ ':method': 'POST', ':path': path });
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks)));
          stream.on('error', reject);
          stream.end(body);
        });
        expect(sha(got)).toBe(sha(body));
      }
    } finally {
      client.close();
    }
  });

  it('forwards request bytes before the request is complete (no buffering)', async () => {
    const upstream = await new Promise<{ server: http.Server; port: number; firstBytes: Promise<void> }>((resolve) => {
      let seen!: () => void;
      const firstBytes = new Promise<void>((r) => (seen = r));
      const server = http.createServer((req, res) => {
        req.once('data', () => seen());
        req.on('end', () => res.end('done'));
        req.resume();
      });
      server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, firstBytes }));
    });
    await dp.applyResources([
      staticCluster('h1', [{ port: upstream.port }]),
      staticCluster('other', [{ port: other.port }]),
      staticCluster('h2', [{ port: h2Port }], HTTP2_UPSTREAM),
    ]);
    try {
      const result = await new Promise<string>((resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/upload', headers: { 'transfer-encoding': 'chunked' }, agent: false }, (r) => {
          let text = '';
          r.on('data', (c: Buffer) => (text += c));
          r.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.write(Buffer.alloc(1024, 1));
        // The rest is sent only once the upstream has the first chunk: a buffering proxy would hang here.
        void upstream.firstBytes.then(() => req.end(Buffer.alloc(1024, 2)));
      });
      expect(result).toBe('done');
    } finally {
      upstream.server.closeAllConnections();
      upstream.server.close();
      await dp.applyResources([
        staticCluster('h1', [{ port: h1.port }]),
        staticCluster('other', [{ port: other.port }]),
        staticCluster('h2', [{ port: h2Port }], HTTP2_UPSTREAM),
      ]);
    }
  });

  it('finishes a request in flight when its route and cluster are replaced', async () => {
    const inFlight = httpRequest(port, { path: '/slow?ms=600' });
    await new Promise((r) => setTimeout(r, 150));
    // The slow route now goes elsewhere, and the cluster the request is using is gone.
    await dp.applyResources([staticCluster('other', [{ port: other.port }]), staticCluster('h2', [{ port: h2Port }], HTTP2_UPSTREAM), routeRoutingSlowTo('other')]);
    const next = await httpRequest(port, { path: '/slow?ms=1' });
    expect(JSON.parse(next.body).upstream).toBe('other');
    const first = await inFlight;
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).upstream).toBe('h1');
    await dp.applyResources([
      staticCluster('h1', [{ port: h1.port }]),
      staticCluster('other', [{ port: other.port }]),
      staticCluster('h2', [{ port: h2Port }], HTTP2_UPSTREAM),
      routeRoutingSlowTo('h1'),
    ]);
  });

  it('answers 504 when the route timeout expires and resets nothing else', async () => {
    await dp.applyResources([
      routeConfig('edge-route', [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'h1', timeout: { nanos: 200_000_000 } } }] }]),
    ]);
    const res = await httpRequest(port, { path: '/slow?ms=2000' });
    expect(res.status).toBe(504);
    expect(res.body).toBe('upstream request timeout');
    expect((await httpRequest(port, { path: '/fast' })).status).toBe(200);
    await dp.applyResources([routeRoutingSlowTo('h1')]);
  });
});
