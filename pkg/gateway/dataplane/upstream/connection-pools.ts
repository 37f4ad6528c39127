import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { ClusterConfig } from '../config/cluster-config.ts';
import type { UpstreamTlsSettings } from '../config/tls-context.ts';
import { UpstreamFailure } from './upstream-failure.ts';
import type { UpstreamHost } from './upstream-host.ts';

/**
 * A cluster's upstream connections: one keep-alive agent for HTTP/1.1 (plain or TLS) and one
 * HTTP/2 session per host (and SNI), created on first use and dropped when they close. Sessions
 * are multiplexed, so 1,000 concurrent gRPC streams to a host share one connection as with Envoy.
 */
export class ConnectionPools {
  readonly http1: http.Agent;
  private readonly config: ClusterConfig;
  private readonly log: Logger;
  private readonly sessions = new Map<string, http2.ClientHttp2Session>();
  private readonly connectedSessions = new WeakSet<http2.ClientHttp2Session>();
  private closed = false;

  constructor(config: ClusterConfig, log: Logger) {
    this.config = config;
    this.log = log;
    const agentOptions = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, timeout: config.http.idleTimeoutMs, scheduling: 'lifo' as const };
    this.http1 = config.tls ? new https.Agent({ ...agentOptions, ...tlsOptions(config.tls, ['http/1.1']) }) : new http.Agent(agentOptions);
  }

  get family(): number {
    return familyOf(this.config.dnsFamily);
  }

  get connectTimeoutMs(): number {
    return this.config.connectTimeoutMs;
  }

  /** The cluster's configured SNI (`UpstreamTlsContext.sni`). */
  get defaultSni(): string | undefined {
    return this.config.tls?.sni;
  }

  get isTls(): boolean {
    return this.config.tls !== undefined;
  }

  /** The reused HTTP/2 session to a host, connecting it when needed. */
  http2Session(host: UpstreamHost, sni: string | undefined): http2.ClientHttp2Session {
    const key = `${host.key}|${sni ?? ''}`;
    const existing = this.sessions.get(key);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const config = this.config;
    const authority = `${config.tls ? 'https' : 'http'}://${host.address}`;
    const h2 = config.http.http2;
    const session = http2.connect(authority, {
      settings: {
        ...(h2.initialStreamWindowSize ? { initialWindowSize: h2.initialStreamWindowSize } : {}),
        enablePush: false,
      },
      maxSessionMemory: 64,
      createConnection: () => this.connect(host.host, host.port, sni, ['h2']),
    });
    if (h2.initialConnectionWindowSize) session.on('connect', () => session.setLocalWindowSize(h2.initialConnectionWindowSize ?? 65_535));
    session.once('connect', () => this.connectedSessions.add(session));
    session.setTimeout(config.http.idleTimeoutMs, () => session.close());
    const forget = () => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    };
    session.on('close', forget);
    session.on('goaway', forget);
    session.on('error', (err) => {
      forget();
      this.log.debug({ cluster: config.name, host: host.address, err: err.message }, 'upstream HTTP/2 session failed');
    });
    this.sessions.set(key, session);
    return session;
  }

  /** Whether the session's connection (and TLS handshake) was established. */
  isConnected(session: http2.ClientHttp2Session): boolean {
    return this.connectedSessions.has(session);
  }

  /** A TCP (or TLS) connection that fails with a connect timeout as Envoy's `connect_timeout`. */
  connect(host: string, port: number, sni: string | undefined, alpn: string[]): net.Socket {
    const config = this.config;
    const family = this.family || undefined;
    let socket: net.Socket;
    if (config.tls) {
      const options: tls.ConnectionOptions = { ...tlsOptions(config.tls, alpn), host, port, servername: sni ?? config.tls.sni ?? serverNameFor(host) };
      if (family) Object.assign(options, { family });
      socket = tls.connect(options);
    } else {
      socket = net.connect({ host, port, family });
    }
    socket.setNoDelay(true);
    if (config.tcpKeepAlive) socket.setKeepAlive(true);
    armConnectTimeout(socket, config.connectTimeoutMs);
    return socket;
  }

  /** Closes idle connections now and the rest once their requests finish. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.http1.destroy();
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }
}

/** Fails a connection that is not established within `timeoutMs` (the cluster's connect_timeout). */
export function armConnectTimeout(socket: net.Socket, timeoutMs: number): void {
  if (!socket.connecting || timeoutMs <= 0) return;
  const timer = setTimeout(() => socket.destroy(new UpstreamFailure('connection timeout', 'connect timeout')), timeoutMs);
  socket.once('connect', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
}

export function tlsOptions(settings: UpstreamTlsSettings, alpn: string[]): tls.ConnectionOptions {
  const verify = settings.ca !== undefined && !settings.acceptUntrusted;
  return {
    ca: settings.ca,
    cert: settings.cert,
    key: settings.key,
    minVersion: settings.minVersion,
    maxVersion: settings.maxVersion,
    ALPNProtocols: settings.alpn.length > 0 ? settings.alpn : alpn,
    rejectUnauthorized: verify,
    // Envoy checks names only against configured SAN matchers, never against the SNI or host.
    checkServerIdentity: (_host, cert) =>
      settings.sanMatchers.length === 0 || settings.sanMatchers.some((m) => m(cert)) ? undefined : new Error('upstream certificate matches none of the configured subject alternative names'),
  };
}

function serverNameFor(host: string): string | undefined {
  return net.isIP(host) === 0 ? host : undefined;
}

function familyOf(family: ClusterConfig['dnsFamily']): number {
  return family === 'V4_ONLY' ? 4 : family === 'V6_ONLY' ? 6 : 0;
}
