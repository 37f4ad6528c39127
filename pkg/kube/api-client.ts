import type { RequestOptions } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { Pool, type Dispatcher } from 'undici';

export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiRequest {
  query?: Query;
  body?: unknown;
  /** Defaults to application/json when there is a body (patches name their own type). */
  contentType?: string;
}

/** What a streamed response (a watch) reports; chunks arrive as the server flushes them. */
export interface StreamHandler {
  /** The status line; for a non-2xx answer the body still follows through onData. */
  onStart(statusCode: number): void;
  onData(chunk: Buffer): void;
  /** The server ended the response. */
  onEnd(): void;
  /** The connection failed or the stream was aborted (not called after abort()). */
  onError(err: Error): void;
}

export interface OpenStream {
  /** Closes the stream; no callback fires afterwards. */
  abort(): void;
}

/** Default cap on parallel connections: enough for 4 workers × a few writes each without queueing. */
const DEFAULT_MAX_SOCKETS = 32;

/** The TLS material, auth headers and connection pools, resolved once from the kubeconfig. */
interface Transport {
  /** Short requests: at most maxSockets keep-alive connections. */
  requests: Pool;
  /** Watches: each holds its connection for minutes, so they must not starve the request cap. */
  streams: Pool;
  /** Flat [name, value, ...] list: undici takes it without walking an object per request. */
  headers: string[];
}

/**
 * JSON over HTTPS to one API server with the kubeconfig's credentials, through undici connection
 * pools (a controller makes thousands of small requests: a TLS handshake per request would dominate,
 * and undici's per-request cost is about a third of node:https's). Bodies go and come back as plain
 * JSON, so timestamps stay strings (see Wire). Non-2xx answers reject with client-node's
 * ApiException carrying the Status body, so api-errors.ts applies.
 */
export class KubeApi {
  readonly kubeConfig: KubeConfig;
  private readonly origin: string;
  /** A path prefix of the server URL (e.g. a proxy's /k8s/clusters/x), '' usually. */
  private readonly basePath: string;
  private readonly maxSockets: number;
  private preparing?: Promise<Transport>;
  private transport?: Transport;

  constructor(kubeConfig: KubeConfig, options: { maxSockets?: number } = {}) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.kubeConfig = kubeConfig;
    const url = new URL(cluster.server);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  }

  request<T = unknown>(method: string, path: string, req: ApiRequest = {}): Promise<T> {
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const send = (t: Transport) =>
      new Promise<T>((resolve, reject) => {
        const headers = payload === undefined ? t.headers : [...t.headers, 'content-type', req.contentType ?? 'application/json'];
        const fullPath = this.basePath + withQuery(path, req.query);
        t.requests.dispatch({ method, path: fullPath, headers, body: payload }, new JsonResponse<T>(method, path, resolve, reject));
      });
    return this.transport ? send(this.transport) : this.prepare().then(send);
  }

  /** A long-running GET (a watch) on its own connection, its body handed over chunk by chunk. */
  async stream(path: string, query: Query, handler: StreamHandler): Promise<OpenStream> {
    const t = this.transport ?? (await this.prepare());
    const response = new StreamResponse(handler);
    // No body timeout: a quiet watch may send nothing for minutes; the watch's own timeout ends it.
    t.streams.dispatch({ method: 'GET', path: this.basePath + withQuery(path, query), headers: t.headers, bodyTimeout: 0 }, response);
    return response;
  }

  /**
   * Closes the pooled connections (the process can exit without waiting for keep-alive timeouts);
   * requests in flight fail. A later request connects again.
   */
  close(): void {
    const preparing = this.preparing;
    this.preparing = undefined;
    this.transport = undefined;
    void preparing?.then(
      (t) => Promise.all([t.requests.destroy(), t.streams.destroy()]),
      () => undefined,
    );
  }

  private prepare(): Promise<Transport> {
    if (this.preparing) return this.preparing;
    const preparing = this.connectPools().then((transport) => {
      // close() may have run meanwhile: then this transport is not the current one.
      if (this.preparing === preparing) this.transport = transport;
      return transport;
    });
    this.preparing = preparing;
    return preparing;
  }

  private async connectPools(): Promise<Transport> {
    // client-node's API is async (exec and OIDC auth providers may run first).
    const opts: RequestOptions = { headers: {} };
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const connect = { ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername };
    const headers = ['accept', 'application/json'];
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers.push(k.toLowerCase(), v);
    return {
      requests: new Pool(this.origin, { connections: this.maxSockets, connect }),
      streams: new Pool(this.origin, { connections: null, connect }),
      headers,
    };
  }
}

/** `path?k=v&...` with every value URI-encoded; undefined values are left out. */
export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  let out = path;
  let sep = path.includes('?') ? '&' : '?';
  for (const key in query) {
    const value = query[key];
    if (value === undefined) continue;
    out += `${sep}${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
    sep = '&';
  }
  return out;
}

/** Collects one response body and settles the request's promise with its JSON. */
class JsonResponse<T> implements Dispatcher.DispatchHandler {
  private readonly method: string;
  private readonly path: string;
  private readonly resolve: (value: T) => void;
  private readonly reject: (err: Error) => void;
  private statusCode = 0;
  private chunks: Buffer[] = [];

  constructor(method: string, path: string, resolve: (value: T) => void, reject: (err: Error) => void) {
    this.method = method;
    this.path = path;
    this.resolve = resolve;
    this.reject = reject;
  }

  /** undici requires the method; nothing to do before the request goes out. */
  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.statusCode = statusCode;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const chunks = this.chunks;
    const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    const code = this.statusCode;
    if (code < 200 || code >= 300) return this.reject(new ApiException<string>(code, `${this.method} ${this.path} failed`, text, {}));
    try {
      this.resolve((text === '' ? undefined : JSON.parse(text)) as T);
    } catch (err) {
      this.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.reject(err);
  }
}

/** Passes a streamed response on to a StreamHandler until it ends, fails or is aborted. */
class StreamResponse implements Dispatcher.DispatchHandler, OpenStream {
  private readonly handler: StreamHandler;
  private controller?: Dispatcher.DispatchController;
  private done = false;

  constructor(handler: StreamHandler) {
    this.handler = handler;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    this.controller?.abort(new Error('watch closed by the client'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Aborted before the request went out.
    if (this.done) controller.abort(new Error('watch closed by the client'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    if (!this.done) this.handler.onStart(statusCode);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.done) this.handler.onData(chunk);
  }

  onResponseEnd(): void {
    if (this.done) return;
    this.done = true;
    this.handler.onEnd();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.done) return;
    this.done = true;
    this.handler.onError(err);
  }
}
