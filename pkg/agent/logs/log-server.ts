import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { KUBELET_CLIENT_IDENTITY } from '../../apiserver/certs/index.ts';
import { streamContainerLog } from './container-log-stream.ts';
import { containerLogFile } from './layout.ts';
import { LogOptionsError, parseContainerLogOptions } from './log-options.ts';
import { selfSignedServingCertificate } from './serving-certificate.ts';

/** What the log server needs to know about a pod on this node; the agent answers from its pod workers. */
export interface LogPodInfo {
  uid: string;
  /** Container names of the spec (init containers included). */
  containers: string[];
  /** Current restart count per container (its log file is `<restartCount>.log`). */
  restartCounts: Record<string, number>;
  /** Containers waiting to start, with the reason; the kubelet refuses their logs. */
  waiting?: Record<string, string>;
  /** Containers that run now; a follower stops once its container is not among them (default: all until `finished`). */
  running?: string[];
  /** The pod reached Succeeded/Failed: nothing writes its logs any more. */
  finished?: boolean;
}

export interface LogServerOptions {
  address: string;
  /** 0 picks a free port. */
  port: number;
  /** CA of the API server's kubelet-client certificate: only clients it signed get a TLS session. */
  clientCaPem: string;
  /** Client certificate common names allowed to read logs (default: the API server's kubelet-client identity). */
  allowedClients?: string[];
  logRoot: string;
  servingCertPem?: string;
  servingKeyPem?: string;
  resolvePod(namespace: string, name: string): LogPodInfo | undefined | Promise<LogPodInfo | undefined>;
  log: Logger;
  /** How often a follower checks the file and the container when the file is quiet. */
  pollIntervalMs?: number;
}

export interface RunningLogServer {
  port: number;
  stop(): Promise<void>;
}

/** An error as the kubelet's server writes it: a status code and a plain-text message. */
class KubeletHttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'KubeletHttpError';
    this.status = status;
  }
}

/**
 * The agent's part of `kubectl logs`: the kubelet's `GET /containerLogs/{namespace}/{pod}/{container}`
 * over HTTPS, for the API server's kubelet-client certificate only. Reads the CRI-format files the
 * runtimes write in the kubelet layout (layout.ts).
 */
export async function startLogServer(opts: LogServerOptions): Promise<RunningLogServer> {
  const log = opts.log.child({ component: 'log-server' });
  const serving =
    opts.servingCertPem && opts.servingKeyPem
      ? { certPem: opts.servingCertPem, keyPem: opts.servingKeyPem }
      : await selfSignedServingCertificate(opts.address);
  const allowed = new Set(opts.allowedClients ?? [KUBELET_CLIENT_IDENTITY.commonName]);
  const server: Server = createServer(
    { cert: serving.certPem, key: serving.keyPem, ca: opts.clientCaPem, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      serve(req, res).catch((err: unknown) => {
        const status = err instanceof KubeletHttpError ? err.status : 500;
        if (status === 500) log.error({ err, path: req.url }, 'container log request failed');
        if (!res.headersSent) {
          res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end((err as Error).message);
        } else {
          res.destroy();
        }
      });
    },
  );
  server.requestTimeout = 0; // follow streams for as long as the container runs

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cn = (req.socket as TLSSocket).getPeerCertificate()?.subject?.CN;
    if (typeof cn !== 'string' || !allowed.has(cn)) throw new KubeletHttpError(403, `Forbidden (user=${String(cn)}, verb=get, resource=nodes, subresource=log)`);
    const url = new URL(req.url ?? '/', 'https://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method !== 'GET' || parts[0] !== 'containerLogs') throw new KubeletHttpError(404, '404 page not found');
    const [, namespace = '', podName = '', container = ''] = parts;
    if (!podName) throw new KubeletHttpError(400, 'missing podID.');
    if (!container) throw new KubeletHttpError(400, 'missing container name.');
    let logOpts;
    try {
      logOpts = parseContainerLogOptions(url.searchParams, Date.now());
    } catch (err) {
      if (err instanceof LogOptionsError) throw new KubeletHttpError(400, `{"message": "Unable to decode query."}`);
      throw err;
    }
    const pod = await opts.resolvePod(namespace, podName);
    if (!pod) throw new KubeletHttpError(404, `pod "${podName}" does not exist`);
    if (!pod.containers.includes(container)) throw new KubeletHttpError(404, `container "${container}" not found in pod "${podName}"`);
    const restarts = pod.restartCounts[container] ?? 0;
    let restart = restarts;
    if (logOpts.previous) {
      if (restarts === 0) throw new KubeletHttpError(400, `previous terminated container "${container}" in pod "${podName}" not found`);
      restart = restarts - 1;
    } else if (pod.waiting?.[container] !== undefined) {
      throw new KubeletHttpError(400, `container "${container}" in pod "${podName}" is waiting to start: ${pod.waiting[container]}`);
    }
    const file = containerLogFile(opts.logRoot, namespace, podName, pod.uid, container, restart);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    // Headers now, so `kubectl logs -f` shows the stream as open before the first line arrives.
    res.flushHeaders();
    await streamContainerLog({
      file,
      opts: { ...logOpts, follow: logOpts.follow && !logOpts.previous },
      out: res,
      signal: abort.signal,
      pollIntervalMs: opts.pollIntervalMs,
      isDone: async () => {
        const now = await opts.resolvePod(namespace, podName);
        if (!now || now.uid !== pod.uid || now.finished) return true;
        if ((now.restartCounts[container] ?? 0) !== restart) return true;
        return now.running !== undefined && !now.running.includes(container);
      },
    });
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ address: opts.address, port }, 'container log server listening');
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
