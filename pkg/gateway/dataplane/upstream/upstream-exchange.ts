import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { Readable, Writable } from 'node:stream';
import { HeaderMap } from '../http/header-map.ts';
import type { ConnectionPools } from './connection-pools.ts';
import { UpstreamFailure } from './upstream-failure.ts';
import type { UpstreamHost } from './upstream-host.ts';

export type UpstreamProtocol = 'HTTP/1.1' | 'HTTP/2';

export interface UpstreamCallbacks {
  /** Response headers (with `:status`); `body` is null when the response ended with its headers. */
  onHeaders(headers: HeaderMap, body: Readable | null): void;
  /** The response is complete; HTTP/2 trailers if any. */
  onEnd(trailers: HeaderMap | undefined): void;
  onError(failure: UpstreamFailure, afterHeaders: boolean): void;
}

export interface UpstreamExchange {
  /** Cancels the request (downstream went away, or a timeout fired). */
  abort(): void;
}

export interface UpstreamRequestSpec {
  pools: ConnectionPools;
  host: UpstreamHost;
  protocol: UpstreamProtocol;
  /** Request headers with pseudo-headers; connection-specific headers already removed. */
  headers: HeaderMap;
  /** The request body to stream, or null when the request has none. */
  body: Readable | null;
  /** SNI for TLS clusters with auto_sni. */
  sni?: string;
}

/** Sends one request upstream and streams its response back through the callbacks. */
export function openUpstream(spec: UpstreamRequestSpec, callbacks: UpstreamCallbacks): UpstreamExchange {
  return spec.protocol === 'HTTP/2' ? openHttp2(spec, callbacks) : openHttp1(spec, callbacks);
}

function openHttp1(spec: UpstreamRequestSpec, cb: UpstreamCallbacks): UpstreamExchange {
  const { pools, host, headers } = spec;
  const outgoing = headers.toObject(false);
  outgoing.host = headers.get(':authority') ?? host.address;
  // HTTP/2 splits cookies into several fields; HTTP/1.1 wants one header (RFC 9113 §8.2.3).
  const cookies = headers.getAll('cookie');
  if (cookies.length > 1) outgoing.cookie = cookies.join('; ');
  // An HTTP/2 request body has no length header; HTTP/1.1 needs a framing for it.
  if (spec.body !== null && !headers.has('content-length')) outgoing['transfer-encoding'] = 'chunked';
  if (spec.body === null && !headers.has('content-length') && bodyExpected(headers.get(':method'))) outgoing['content-length'] = '0';
  let responded = false;
  let finished = false;
  let connected = false;
  const fail = (failure: UpstreamFailure) => {
    if (finished) return;
    finished = true;
    cb.onError(failure, responded);
  };
  const sni = spec.sni ?? pools.defaultSni;
  const options: https.RequestOptions = {
    agent: pools.http1,
    host: host.host,
    port: host.port,
    family: pools.family || undefined,
    method: headers.get(':method') ?? 'GET',
    path: headers.get(':path') ?? '/',
    headers: outgoing,
    setHost: false,
    ...(pools.isTls && sni ? { servername: sni } : {}),
  };
  const req = (pools.isTls ? https : http).request(options);
  req.on('socket', (socket) => {
    if (req.reusedSocket) {
      connected = true;
      return;
    }
    if (socket.connecting) armRequestConnectTimeout(req, socket, pools);
    socket.once(pools.isTls ? 'secureConnect' : 'connect', () => (connected = true));
  });
  req.on('response', (res) => {
    responded = true;
    const responseHeaders = HeaderMap.fromRaw(res.rawHeaders);
    responseHeaders.set(':status', String(res.statusCode ?? 502));
    res.on('end', () => {
      if (finished) return;
      finished = true;
      cb.onEnd(res.rawTrailers.length > 0 ? HeaderMap.fromRaw(res.rawTrailers) : undefined);
    });
    res.on('close', () => {
      if (!res.complete) fail(new UpstreamFailure('connection termination', 'upstream closed the response early'));
    });
    cb.onHeaders(responseHeaders, res);
  });
  req.on('error', (err: NodeJS.ErrnoException) => fail(classify(err, responded, connected)));
  pipeBody(spec.body, req, () => req.destroy());
  return {
    abort: () => {
      finished = true;
      req.destroy();
    },
  };
}

function armRequestConnectTimeout(req: http.ClientRequest, socket: import('node:net').Socket, pools: ConnectionPools): void {
  const timeoutMs = pools.connectTimeoutMs;
  if (timeoutMs <= 0) return;
  const timer = setTimeout(() => req.destroy(new UpstreamFailure('connection timeout', 'connect timeout')), timeoutMs);
  socket.once('connect', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
}

function openHttp2(spec: UpstreamRequestSpec, cb: UpstreamCallbacks): UpstreamExchange {
  const { pools, host, headers } = spec;
  let responded = false;
  let finished = false;
  let trailers: HeaderMap | undefined;
  const fail = (failure: UpstreamFailure) => {
    if (finished) return;
    finished = true;
    cb.onError(failure, responded);
  };
  let session: http2.ClientHttp2Session;
  let stream: http2.ClientHttp2Stream;
  try {
    session = pools.http2Session(host, spec.sni);
    const outgoing = headers.toObject(true);
    delete outgoing.host;
    outgoing[':scheme'] = pools.isTls ? 'https' : 'http';
    stream = session.request(outgoing, { endStream: spec.body === null });
  } catch (err) {
    queueMicrotask(() => fail(classify(err as NodeJS.ErrnoException, false, false)));
    return { abort: () => (finished = true) };
  }
  stream.on('response', (h, flags) => {
    responded = true;
    const endStream = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
    if (endStream) stream.resume();
    cb.onHeaders(HeaderMap.fromObject(h), endStream ? null : stream);
  });
  stream.on('trailers', (t) => {
    trailers = HeaderMap.fromObject(t);
  });
  stream.on('end', () => {
    if (finished || !responded) return;
    finished = true;
    cb.onEnd(trailers);
  });
  stream.on('error', (err: NodeJS.ErrnoException) => fail(classify(err, responded, pools.isConnected(session))));
  stream.on('close', () => {
    if (!finished) fail(new UpstreamFailure(responded ? 'remote reset' : pools.isConnected(session) ? 'connection termination' : 'connection failure', `stream closed (code ${stream.rstCode ?? 0})`));
  });
  if (spec.body !== null) pipeBody(spec.body, stream, () => stream.close(http2.constants.NGHTTP2_CANCEL));
  return {
    abort: () => {
      finished = true;
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    },
  };
}

/** Streams the request body without buffering; a failing or aborted source cancels the request. */
function pipeBody(body: Readable | null, target: Writable, cancel: () => void): void {
  if (body === null) {
    target.end();
    return;
  }
  body.pipe(target);
  body.once('error', cancel);
  body.once('aborted', cancel);
}

function bodyExpected(method: string | undefined): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH';
}

const CONNECT_ERRORS = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'];

/**
 * Maps socket errors to Envoy's reset reasons: anything before the connection (TLS handshake
 * included) was up is a connection failure; a connection lost before the response headers is a
 * connection termination; after them, a remote reset.
 */
function classify(err: NodeJS.ErrnoException, afterHeaders: boolean, connected: boolean): UpstreamFailure {
  if (err instanceof UpstreamFailure) return err;
  if (afterHeaders) return new UpstreamFailure('remote reset', err.message);
  if (!connected || CONNECT_ERRORS.includes(err.code ?? '')) return new UpstreamFailure('connection failure', err.code ?? err.message);
  return new UpstreamFailure('connection termination', err.message);
}
