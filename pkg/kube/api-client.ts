import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';

export interface ApiRequest {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Defaults to application/json when there is a body (patches name their own type). */
  contentType?: string;
}

/** Default cap on parallel connections: enough for 4 workers × a few writes each without queueing. */
const DEFAULT_MAX_SOCKETS = 32;

/**
 * JSON over HTTPS to one API server with the kubeconfig's credentials, through one keep-alive agent
 * (a controller makes thousands of small requests; a TLS handshake per request would dominate).
 * Bodies go and come back as plain JSON, so timestamps stay strings (see Wire). Non-2xx answers
 * reject with client-node's ApiException carrying the Status body, so api-errors.ts applies.
 */
export class KubeApi {
  readonly kubeConfig: KubeConfig;
  private readonly server: string;
  private readonly maxSockets: number;
  private prepared?: Promise<{ agent: Agent; headers: Record<string, string> }>;

  constructor(kubeConfig: KubeConfig, options: { maxSockets?: number } = {}) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.kubeConfig = kubeConfig;
    this.server = cluster.server.replace(/\/+$/, '');
    this.maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  }

  async request<T = unknown>(method: string, path: string, req: ApiRequest = {}): Promise<T> {
    const { agent, headers: authHeaders } = await this.prepare();
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { ...authHeaders, accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise<T>((resolve, reject) => {
      const r = httpsRequest(url, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code < 200 || code >= 300) return reject(new ApiException<string>(code, `${method} ${path} failed`, text, {}));
          try {
            resolve((text === '' ? undefined : JSON.parse(text)) as T);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      });
      r.on('error', reject);
      r.end(payload);
    });
  }

  /** Closes the pooled connections (the process can exit without waiting for keep-alive timeouts). */
  close(): void {
    void this.prepared?.then(({ agent }) => agent.destroy());
  }

  /** The TLS material and auth headers from the kubeconfig, resolved once (client-node's API is async). */
  private prepare(): Promise<{ agent: Agent; headers: Record<string, string> }> {
    this.prepared ??= (async () => {
      const opts: RequestOptions = { headers: {} };
      await this.kubeConfig.applyToHTTPSOptions(opts);
      const agent = new Agent({
        keepAlive: true,
        maxSockets: this.maxSockets,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        rejectUnauthorized: opts.rejectUnauthorized,
        servername: opts.servername,
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      return { agent, headers };
    })();
    return this.prepared;
  }
}
