import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HealthCheck = () => boolean;

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `/healthz` (and `/livez`, `/readyz`) like Kubernetes components: 200 "ok" when every named check
 * passes, 500 listing the failed ones otherwise; `/healthz/<name>` checks one. Plain HTTP on a
 * loopback address by default (Kuscia's controller manager: 127.0.0.1:8090), as it carries no data.
 */
export async function startHealthServer(options: { host?: string; port: number; checks: Record<string, HealthCheck> }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const match = /^\/(healthz|livez|readyz)(?:\/([^/]+))?$/.exec(path);
    if (!match || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const only = match[2];
    const entries = Object.entries(options.checks).filter(([name]) => only === undefined || name === only);
    if (only !== undefined && entries.length === 0) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const failed = entries.filter(([, check]) => !safe(check)).map(([name]) => name);
    if (failed.length === 0) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    else res.writeHead(500, { 'content-type': 'text/plain' }).end(`${failed.map((n) => `[-]${n} failed`).join('\n')}\nhealthz check failed\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function safe(check: HealthCheck): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
