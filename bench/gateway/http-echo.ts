/**
 * The benchmark's HTTP/1.1 backend: `GET /small` answers a fixed small body, `POST /echo` streams
 * the request body back as it arrives (so a 2 MiB body crosses every hop twice, never buffered
 * whole by the server).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SMALL_REPLY = Buffer.from('x'.repeat(100));

export interface HttpEchoServer {
  port: number;
  stop(): Promise<void>;
}

export async function startHttpEchoServer(): Promise<HttpEchoServer> {
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/echo') {
      const length = req.headers['content-length'];
      res.writeHead(200, { 'content-type': 'application/octet-stream', ...(length ? { 'content-length': length } : {}) });
      req.pipe(res);
      return;
    }
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(SMALL_REPLY.length) });
    res.end(SMALL_REPLY);
  });
  // The load generator keeps its connections for the whole run.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
