import http from 'node:http';
import http2 from 'node:http2';
import type net from 'node:net';
import tls from 'node:tls';
import type { CompiledListener } from '../config/listener-config.ts';
import { handleRequest, type ProxyRuntime } from './connection-manager.ts';
import { Http1Exchange } from './http1-exchange.ts';
import { Http2Exchange } from './http2-exchange.ts';

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** A connection that sends nothing to tell its protocol by is closed after this (Envoy's listener_filters_timeout). */
const SNIFF_TIMEOUT_MS = 15_000;

/**
 * The HTTP/1.1 and HTTP/2 servers serving the connections accepted under one version of a
 * listener. A listener update gets a new set for new connections; the old set drains (HTTP/2
 * GOAWAY, HTTP/1 `Connection: close` after the current response), as Envoy drains the connections
 * of a replaced listener while their requests finish.
 */
export class ProtocolServers {
  readonly listener: CompiledListener;
  private readonly http1: http.Server;
  private readonly http2: http2.Http2Server;
  /** Not listening: accepted sockets are handed to it for the TLS handshake. */
  private readonly tlsServer: tls.Server | undefined;
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private draining = false;

  constructor(listener: CompiledListener, runtime: ProxyRuntime) {
    this.listener = listener;
    const hcm = listener.hcm;
    this.http1 = http.createServer({
      // Long uploads and streams are bounded by the route's timeouts, not by Node's defaults.
      requestTimeout: 0,
      headersTimeout: 60_000,
      keepAliveTimeout: hcm.connectionIdleTimeoutMs,
      maxHeaderSize: 60 * 1024,
    });
    this.http1.timeout = 0;
    this.http1.on('request', (req, res) => {
      if (this.draining) res.shouldKeepAlive = false;
      handleRequest(new Http1Exchange(req, res, hcm.allowAbsoluteUrl), listener, runtime);
    });
    this.http2 = http2.createServer({
      settings: {
        maxConcurrentStreams: hcm.http2.maxConcurrentStreams ?? 2 ** 31 - 1,
        ...(hcm.http2.initialStreamWindowSize ? { initialWindowSize: hcm.http2.initialStreamWindowSize } : {}),
      },
      // Many concurrent gRPC streams on one connection need more than Node's 10 MB default.
      maxSessionMemory: 256,
    });
    this.http2.on('session', (session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
      if (hcm.http2.initialConnectionWindowSize) session.once('connect', () => session.setLocalWindowSize(hcm.http2.initialConnectionWindowSize ?? 65_535));
      // Graceful: streams still open finish, new ones go to a new connection.
      session.setTimeout(hcm.connectionIdleTimeoutMs, () => session.close());
      if (this.draining) session.close();
    });
    this.http2.on('stream', (stream, headers, flags, rawHeaders) => {
      handleRequest(new Http2Exchange(stream, headers, flags, rawHeaders as string[] | undefined), listener, runtime);
    });
    const settings = listener.tls;
    if (settings) {
      this.tlsServer = tls.createServer({
        cert: settings.cert,
        key: settings.key,
        ca: settings.ca,
        minVersion: settings.minVersion,
        maxVersion: settings.maxVersion,
        requestCert: settings.requireClientCertificate || settings.ca !== undefined,
        rejectUnauthorized: settings.requireClientCertificate,
        ALPNProtocols: settings.alpn.length > 0 ? settings.alpn : this.alpnOffer(),
      });
      this.tlsServer.on('secureConnection', (secure) => (secure.alpnProtocol === 'h2' ? this.http2 : this.http1).emit('connection', secure));
      this.tlsServer.on('tlsClientError', (err, socket) => {
        runtime.log.debug({ listener: listener.name, err: err.message }, 'downstream TLS handshake failed');
        socket.destroy();
      });
    }
  }

  /** Serves an accepted connection: TLS first if configured, then HTTP/1.1 or HTTP/2. */
  accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    if (this.listener.tcpKeepAlive) socket.setKeepAlive(true);
    if (this.tlsServer) {
      this.tlsServer.emit('connection', socket);
      return;
    }
    switch (this.listener.hcm.codecType) {
      case 'HTTP1':
        this.http1.emit('connection', socket);
        return;
      case 'HTTP2':
        this.http2.emit('connection', socket);
        return;
      default:
        this.sniff(socket);
    }
  }

  /** Stops taking new requests on these connections; they close once their requests are done. */
  drain(): void {
    this.draining = true;
    this.http1.closeIdleConnections();
    for (const session of this.sessions) session.close();
  }

  /** Ends every connection now. */
  destroy(): void {
    this.draining = true;
    this.http1.closeAllConnections();
    for (const session of this.sessions) session.destroy();
  }

  private alpnOffer(): string[] {
    const codec = this.listener.hcm.codecType;
    return codec === 'HTTP1' ? ['http/1.1'] : codec === 'HTTP2' ? ['h2'] : ['h2', 'http/1.1'];
  }

  /**
   * HTTP/2 with prior knowledge starts with the connection preface, HTTP/1 with a method. The
   * bytes read to decide are put back: Node's HTTP/1 parser and HTTP/2 session both pick up data
   * left in the socket's buffer (the socket stays paused for HTTP/2, which reads it itself).
   */
  private sniff(socket: net.Socket): void {
    let seen = Buffer.alloc(0);
    const onSilence = () => socket.destroy();
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, HTTP2_PREFACE.length);
      const isPrefacePrefix = seen.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n));
      if (isPrefacePrefix && n < 3) return; // too short to tell yet
      socket.off('data', onData);
      socket.off('timeout', onSilence);
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(seen);
      if (isPrefacePrefix) {
        this.http2.emit('connection', socket);
      } else {
        this.http1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
    socket.setTimeout(SNIFF_TIMEOUT_MS);
    socket.on('timeout', onSilence);
  }
}
