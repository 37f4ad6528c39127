import type { ServerResponse } from 'node:http';

const checks = ['ping', 'log', 'etcd', 'poststarthook/crd-informer-synced', 'poststarthook/bootstrap-controller'];

/**
 * /healthz, /livez, /readyz: plain "ok", or the per-check listing with ?verbose like
 * kube-apiserver. The server only answers once storage is open and built-ins are registered, so
 * every check passes whenever it answers at all.
 */
export function serveHealth(res: ServerResponse, parts: string[], query: URLSearchParams): void {
  const [probe, ...sub] = parts;
  if (sub.length > 0 && !checks.includes(sub.join('/'))) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
    return;
  }
  const verbose = query.has('verbose');
  const body = verbose ? `${checks.map((c) => `[+]${c} ok`).join('\n')}\n${probe} check passed\n` : 'ok';
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
