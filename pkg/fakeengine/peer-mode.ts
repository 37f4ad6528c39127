/**
 * The fake engine's peer mode: what a real multi-party engine does first, reduced to a ping. It
 * serves `GET /fake-engine/ping?from=<domain>` on its Cluster-scope port and pings every endpoint
 * of every other party in TASK_CLUSTER_DEFINE — `<svc>.<domain>.svc`, reachable only through the
 * domain gateway, which it uses as HTTP proxy (HTTP_PROXY) — until all answered and every other
 * party pinged it, so no party exits while a peer still needs it.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TaskEnv } from './env-contract.ts';

export class PeerModeError extends Error {
  override readonly name = 'PeerModeError';
}

interface ClusterDefine {
  parties?: Array<{ name?: string; services?: Array<{ portName?: string; endpoints?: string[] }> }>;
  selfPartyIdx?: number;
}

const PING_PATH = '/fake-engine/ping';

/** Every other party's Cluster-scope endpoints, with the party name. */
export function peerEndpoints(clusterDefine: unknown): Array<{ party: string; endpoint: string }> {
  const cd = clusterDefine as ClusterDefine;
  const out: Array<{ party: string; endpoint: string }> = [];
  for (const [i, party] of (cd.parties ?? []).entries()) {
    if (i === cd.selfPartyIdx) continue;
    for (const service of party.services ?? []) {
      // Domain-scope endpoints carry their port: reachable inside their own domain only, not by peers.
      for (const endpoint of service.endpoints ?? []) if (!endpoint.includes(':')) out.push({ party: party.name ?? '', endpoint });
    }
  }
  return out;
}

/** One GET through the proxy (absolute-form target, as HTTP proxies take it) or directly. */
function ping(endpoint: string, from: string, proxy: URL | undefined, timeoutMs: number): Promise<string> {
  const target = new URL(`http://${endpoint}${PING_PATH}?from=${encodeURIComponent(from)}`);
  return new Promise((resolve, reject) => {
    const req = request(
      proxy
        ? { host: proxy.hostname, port: proxy.port || 80, path: target.href, headers: { host: target.host } }
        : { host: target.hostname, port: target.port || 80, path: target.pathname + target.search },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}${res.headers['kuscia-error-message'] ? ` (${String(res.headers['kuscia-error-message'])})` : ''}: ${body.slice(0, 200)}`))));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Serves on every allocated port (a peer reaches the Cluster-scope ones through the gateways; the
 * others show what the gateway keeps from peers), pings the peers, then keeps serving `lingerSeconds`.
 */
export async function runPeerMode(task: TaskEnv, env: NodeJS.ProcessEnv, timeoutSeconds: number, lingerSeconds: number, say: (line: string) => void): Promise<void> {
  if (task.ports.length === 0) throw new PeerModeError('peer mode needs a port in ALLOCATED_PORTS to serve on');
  const peers = peerEndpoints(task.clusterDefine);
  const expectedCallers = new Set(peers.map((p) => p.party));
  const callers = new Set<string>();
  let allCalled: () => void = () => {};
  const calledBack = new Promise<void>((resolve) => (allCalled = resolve));
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== PING_PATH) {
      res.writeHead(404).end();
      return;
    }
    const from = url.searchParams.get('from') ?? '';
    callers.add(from);
    say(`fake-engine: pinged by ${from} (Kuscia-Source ${String(req.headers['kuscia-source'] ?? '-')})`);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ domain: task.domainID, task: task.taskID }));
    if ([...expectedCallers].every((p) => callers.has(p))) allCalled();
  };
  const servers: Server[] = [];
  for (const port of task.ports) {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port.port, '0.0.0.0', () => resolve());
    });
  }
  say(`fake-engine: serving on ports ${task.ports.map((p) => `${p.name}=${(servers[task.ports.indexOf(p)]!.address() as AddressInfo).port}`).join(' ')}, ${peers.length} peer endpoint(s) to reach`);
  if (expectedCallers.size === 0) allCalled();
  const proxy = env['HTTP_PROXY'] || env['http_proxy'] ? new URL((env['HTTP_PROXY'] || env['http_proxy'])!) : undefined;
  const deadline = Date.now() + timeoutSeconds * 1000;
  try {
    for (const peer of peers) {
      let lastError = '';
      for (;;) {
        try {
          const answer = await ping(peer.endpoint, task.domainID, proxy, 5_000);
          say(`fake-engine: ${peer.party} answered at ${peer.endpoint}: ${answer}`);
          break;
        } catch (err) {
          lastError = (err as Error).message;
          if (Date.now() > deadline) throw new PeerModeError(`peer ${peer.party} did not answer at ${peer.endpoint} within ${timeoutSeconds} s: ${lastError}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
    const remaining = Math.max(0, deadline - Date.now());
    const timedOut = await Promise.race([calledBack.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), remaining).unref())]);
    if (timedOut) throw new PeerModeError(`not pinged by ${[...expectedCallers].filter((p) => !callers.has(p)).join(', ')} within ${timeoutSeconds} s`);
    if (lingerSeconds > 0) await new Promise((r) => setTimeout(r, lingerSeconds * 1000));
  } finally {
    for (const server of servers) {
      server.close();
      server.closeAllConnections();
    }
  }
}
