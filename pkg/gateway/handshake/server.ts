/**
 * The destination side of the handshake as a node:http request listener, answering what Kuscia's
 * handshake server (port 1054 behind Envoy) answers on `/handshake`: GET is the heartbeat, any other
 * method a handshake. Other paths get Go's ServeMux 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { checkTokenStatus } from './destination-heartbeat.ts';
import { DestinationHandshake } from './destination-reply.ts';
import { GoJsonDecodeError } from './go-json.ts';
import { DestinationState, decodeHandshakeRequest, encodeHandshakeResponse, encodeHeartbeatReply } from './messages.ts';
import { HANDSHAKE_PATH_SUFFIX, HandshakeHeaders } from './request-target.ts';
import type { DomainRouteStore } from './route-store.ts';

export interface HandshakeServerOptions {
  /** This domain (the destination of every handshake it answers). */
  namespace: string;
  /** This domain's RSA key (the one whose public half peers hold). */
  privateKey: KeyObject;
  routes: DomainRouteStore;
  log: Logger;
  now?: () => number;
  /** Kuscia: 30 s. */
  readyTimeoutMs?: number;
  /** Kuscia: 1 s. */
  readyPollMs?: number;
  /** The path served (Kuscia: `/handshake`; a path prefix is stripped by whatever sits in front). */
  path?: string;
}

/** Handshake bodies are a few hundred bytes; anything near this is not one. */
const MAX_BODY_BYTES = 64 * 1024;

export type HandshakeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export function createHandshakeHandler(options: HandshakeServerOptions): HandshakeRequestListener {
  const now = options.now ?? Date.now;
  const log = options.log.child({ component: 'handshake-server', namespace: options.namespace });
  const path = options.path ?? HANDSHAKE_PATH_SUFFIX;
  const destination = new DestinationHandshake({
    namespace: options.namespace,
    privateKey: options.privateKey,
    routes: options.routes,
    log,
    now,
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    readyPollMs: options.readyPollMs ?? 1_000,
  });
  const heartbeatOptions = { namespace: options.namespace, routes: options.routes, log, now };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (pathOf(req.url) !== path) return sendText(res, 404, '404 page not found');

    if (req.method === 'GET') {
      req.resume();
      const source = header(req, HandshakeHeaders.originSource) || header(req, HandshakeHeaders.source);
      const state = await checkTokenStatus(heartbeatOptions, source, header(req, HandshakeHeaders.tokenRevision)).catch(() => DestinationState.InternalError);
      log.debug({ source, state }, 'heartbeat');
      return sendJson(res, encodeHeartbeatReply({ namespace: options.namespace, state }));
    }

    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      res.setHeader('Connection', 'close');
      return sendText(res, 400, (err as Error).message);
    }
    let request;
    try {
      request = decodeHandshakeRequest(body);
    } catch (err) {
      if (!(err instanceof GoJsonDecodeError)) throw err;
      log.warn({ err: err.message }, 'invalid handshake request');
      return sendText(res, 400, err.message);
    }
    const response = await destination.reply(request);
    if (response.status.code !== 0) log.warn({ source: request.domainId, reason: response.status.message }, 'handshake refused');
    else log.info({ source: request.domainId, revision: response.token?.revision }, 'handshake done');
    sendJson(res, encodeHandshakeResponse(response));
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'handshake handler failed');
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  };
}

function pathOf(url: string | undefined): string {
  const q = (url ?? '/').indexOf('?');
  return q === -1 ? (url ?? '/') : (url ?? '/').slice(0, q);
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name.toLowerCase()];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Answer now and close the connection (sendText's caller sets it) instead of reading on.
        req.removeAllListeners('data');
        reject(new Error('http: request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** As Go's http.Error writes it. */
function sendText(res: ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
