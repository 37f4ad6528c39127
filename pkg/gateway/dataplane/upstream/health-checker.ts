import type { Logger } from 'pino';
import type { HealthCheckConfig } from '../config/health-check-config.ts';
import { HeaderMap } from '../http/header-map.ts';
import type { ConnectionPools } from './connection-pools.ts';
import { openUpstream } from './upstream-exchange.ts';
import { UpstreamHost } from './upstream-host.ts';

interface HostCheckState {
  timer?: NodeJS.Timeout;
  abort?: () => void;
  successes: number;
  failures: number;
}

export interface HealthCheckerOptions {
  clusterName: string;
  config: HealthCheckConfig;
  pools: ConnectionPools;
  /** Whether the cluster has carried traffic yet (Envoy checks idle clusters at no_traffic_interval). */
  hasTraffic: () => boolean;
  onCheck: (host: UpstreamHost, ok: boolean) => void;
  log: Logger;
}

/**
 * Active health checking of a cluster's hosts (Envoy's HTTP and TCP checkers): the first answer
 * decides at once, later ones flip a host after `unhealthy_threshold` failures or
 * `healthy_threshold` successes in a row; checks repeat at `interval` (`unhealthy_interval` for
 * unhealthy hosts, the edge intervals right after a flip, `no_traffic_interval` while the cluster
 * is unused) plus jitter.
 */
export class HealthChecker {
  private readonly options: HealthCheckerOptions;
  private readonly hosts = new Map<UpstreamHost, HostCheckState>();
  private stopped = false;

  constructor(options: HealthCheckerOptions) {
    this.options = options;
  }

  add(host: UpstreamHost): void {
    const state: HostCheckState = { successes: 0, failures: 0 };
    this.hosts.set(host, state);
    this.schedule(host, state, Math.random() * this.options.config.initialJitterMs);
  }

  remove(host: UpstreamHost): void {
    const state = this.hosts.get(host);
    if (!state) return;
    clearTimeout(state.timer);
    state.abort?.();
    this.hosts.delete(host);
  }

  stop(): void {
    this.stopped = true;
    for (const host of [...this.hosts.keys()]) this.remove(host);
  }

  private schedule(host: UpstreamHost, state: HostCheckState, delayMs: number): void {
    if (this.stopped) return;
    state.timer = setTimeout(() => this.check(host, state), delayMs);
    state.timer.unref();
  }

  private check(host: UpstreamHost, state: HostCheckState): void {
    const { config } = this.options;
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      state.abort = undefined;
      if (!this.hosts.has(host)) return;
      const flipped = this.record(host, state, ok);
      this.options.onCheck(host, ok);
      this.schedule(host, state, this.nextInterval(host, flipped));
    };
    const timeout = setTimeout(() => {
      state.abort?.();
      finish(false);
    }, config.timeoutMs);
    const target = host.healthCheckPort === host.port ? host : new UpstreamHost({ ...host.config, port: host.healthCheckPort }, false);
    state.abort = config.http ? this.httpCheck(target, finish) : this.tcpCheck(target, finish);
  }

  private httpCheck(host: UpstreamHost, finish: (ok: boolean) => void): () => void {
    const http = this.options.config.http;
    if (!http) throw new Error('not an HTTP health check');
    const headers = new HeaderMap();
    headers.set(':method', http.method);
    headers.set(':path', http.path);
    headers.set(':authority', http.host || this.options.clusterName);
    headers.set('user-agent', 'Envoy/HC');
    const none = { address: '', port: 0 };
    http.headers.apply(headers, { requestHeaders: headers, downstreamRemote: none, downstreamLocal: none, protocol: 'HTTP/1.1', startTime: Date.now() });
    const exchange = openUpstream(
      { pools: this.options.pools, host, protocol: http.codec === 'HTTP2' ? 'HTTP/2' : 'HTTP/1.1', headers, body: null },
      {
        onHeaders: (response, body) => {
          const status = Number(response.get(':status'));
          body?.resume();
          finish(http.expectedStatuses.some(([start, end]) => status >= start && status < end));
        },
        onEnd: () => undefined,
        onError: () => finish(false),
      },
    );
    return () => exchange.abort();
  }

  private tcpCheck(host: UpstreamHost, finish: (ok: boolean) => void): () => void {
    const socket = this.options.pools.connect(host.host, host.port, undefined, []);
    socket.once(this.options.pools.isTls ? 'secureConnect' : 'connect', () => {
      socket.destroy();
      finish(true);
    });
    socket.once('error', () => finish(false));
    return () => socket.destroy();
  }

  /** Applies one result; returns whether the host's health flipped. */
  private record(host: UpstreamHost, state: HostCheckState, ok: boolean): boolean {
    const { config, log } = this.options;
    const first = host.pendingFirstCheck;
    host.pendingFirstCheck = false;
    const before = host.activeHealthy;
    if (ok) {
      state.failures = 0;
      state.successes += 1;
      if (!host.activeHealthy && (first || state.successes >= config.healthyThreshold)) host.activeHealthy = true;
    } else {
      state.successes = 0;
      state.failures += 1;
      if (host.activeHealthy && state.failures >= config.unhealthyThreshold) host.activeHealthy = false;
    }
    const flipped = before !== host.activeHealthy;
    if (flipped || first) log.info({ host: host.address, healthy: host.activeHealthy }, 'upstream host health');
    return flipped;
  }

  private nextInterval(host: UpstreamHost, flipped: boolean): number {
    const c = this.options.config;
    let base: number;
    if (!this.options.hasTraffic()) base = host.activeHealthy ? c.noTrafficHealthyIntervalMs : c.noTrafficIntervalMs;
    else if (flipped) base = host.activeHealthy ? c.healthyEdgeIntervalMs : c.unhealthyEdgeIntervalMs;
    else base = host.activeHealthy ? c.intervalMs : c.unhealthyIntervalMs;
    return base + Math.random() * c.intervalJitterMs;
  }
}

