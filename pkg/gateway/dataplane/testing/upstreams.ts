import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  bodyBytes: number;
}

export interface EchoServer {
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP/1.1 upstream answering `<name>` and the request's method, path and headers as JSON;
 * `/slow?ms=N` answers after N ms, `/echo` streams the request body back, `/bytes?n=N` sends N bytes.
 */
export async function startEchoServer(name: string): Promise<EchoServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/echo') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.pipe(res);
      req.on('end', () => requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyBytes: n }));
      return;
    }
    if (url.pathname === '/bytes') {
      const total = Number(url.searchParams.get('n'));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
      const chunk = Buffer.alloc(64 * 1024, 7);
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    let bodyBytes = 0;
    req.on('data', (c: Buffer) => (bodyBytes += c.length));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodyBytes });
      const send = () => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name });
        res.end(JSON.stringify({ upstream: name, method: req.method, url: req.url, headers: req.headers }));
      };
      const delay = Number(url.searchParams.get('ms') ?? 0);
      if (url.pathname === '/slow' && delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
