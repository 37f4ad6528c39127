import type { Logger } from 'pino';
import type { ClusterConfig } from '../config/cluster-config.ts';
import type { EndpointConfig } from '../config/endpoints-config.ts';
import { ConnectionPools } from './connection-pools.ts';
import { HealthChecker } from './health-checker.ts';
import { LoadBalancer } from './load-balancer.ts';
import type { UpstreamProtocol } from './upstream-exchange.ts';
import { hostKey, UpstreamHost } from './upstream-host.ts';

export type DownstreamProtocol = 'HTTP/1.0' | 'HTTP/1.1' | 'HTTP/2';

/** Per-cluster counters, named after Envoy's cluster statistics. */
export interface ClusterStats {
  name: string;
  /** membership_total / membership_healthy */
  membershipTotal: number;
  membershipHealthy: number;
  /** upstream_rq_total, upstream_rq_active */
  requests: number;
  activeRequests: number;
  /** upstream_rq_2xx ... upstream_rq_5xx */
  responses: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  /** Requests that failed: 5xx responses, resets, connect failures, timeouts. */
  errors: number;
  /** upstream_cx_connect_fail, upstream_rq_timeout */
  connectFailures: number;
  timeouts: number;
  healthChecks: { attempts: number; successes: number; failures: number };
  hosts: Array<{ address: string; healthy: boolean; pendingFirstCheck: boolean; activeRequests: number }>;
}

/**
 * A cluster at run time: its hosts with their health, the load balancer, connection pools and
 * counters. Immutable in configuration: a changed Cluster resource gets a new ActiveCluster (hosts
 * keep their health across), and the old one finishes its requests before closing its pools.
 */
export class ActiveCluster {
  readonly config: ClusterConfig;
  readonly pools: ConnectionPools;
  private hosts: UpstreamHost[] = [];
  private readonly lb: LoadBalancer;
  private readonly checker: HealthChecker | undefined;
  private readonly counters = { requests: 0, errors: 0, connectFailures: 0, timeouts: 0, responses: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 } };
  private readonly hcCounters = { attempts: 0, successes: 0, failures: 0 };
  private activeRequests = 0;
  private retired = false;

  constructor(config: ClusterConfig, endpoints: readonly EndpointConfig[], log: Logger, previous?: ActiveCluster) {
    this.config = config;
    const clusterLog = log.child({ cluster: config.name });
    this.pools = new ConnectionPools(config, clusterLog);
    this.lb = new LoadBalancer(config);
    if (config.healthCheck) {
      this.checker = new HealthChecker({
        clusterName: config.name,
        config: config.healthCheck,
        pools: this.pools,
        hasTraffic: () => this.counters.requests > 0,
        onCheck: (_host, ok) => {
          this.hcCounters.attempts += 1;
          if (ok) this.hcCounters.successes += 1;
          else this.hcCounters.failures += 1;
        },
        log: clusterLog,
      });
    }
    // Counters describe the cluster by name, across its versions (as Envoy's stats do).
    if (previous) {
      Object.assign(this.counters, previous.counters, { responses: { ...previous.counters.responses } });
      Object.assign(this.hcCounters, previous.hcCounters);
    }
    this.setEndpoints(endpoints, previous?.hosts);
  }

  /** EDS update (or the first assignment): keeps the health of hosts that stay. */
  setEndpoints(endpoints: readonly EndpointConfig[], carried: readonly UpstreamHost[] = this.hosts): void {
    const old = new Map(carried.map((h) => [h.key, h]));
    const next: UpstreamHost[] = [];
    for (const endpoint of endpoints) {
      const host = new UpstreamHost(endpoint, this.checker !== undefined);
      const before = old.get(hostKey(endpoint));
      if (before && this.checker) {
        host.activeHealthy = before.activeHealthy;
        host.pendingFirstCheck = before.pendingFirstCheck;
      }
      next.push(host);
    }
    for (const host of this.hosts) this.checker?.remove(host);
    this.hosts = next;
    if (!this.retired) for (const host of next) this.checker?.add(host);
  }

  choose(): UpstreamHost | undefined {
    return this.lb.choose(this.hosts);
  }

  /** The upstream protocol for a request that came in over `downstream`. */
  protocolFor(downstream: DownstreamProtocol): UpstreamProtocol {
    switch (this.config.http.protocol) {
      case 'http2':
        return 'HTTP/2';
      case 'downstream':
        return downstream === 'HTTP/2' ? 'HTTP/2' : 'HTTP/1.1';
      default:
        return 'HTTP/1.1';
    }
  }

  requestStarted(host: UpstreamHost): void {
    this.counters.requests += 1;
    this.activeRequests += 1;
    host.activeRequests += 1;
  }

  /** `status` is the upstream's, or undefined when the request failed without a response. */
  requestFinished(host: UpstreamHost, outcome: { status?: number; connectFailure?: boolean; timeout?: boolean }): void {
    this.activeRequests -= 1;
    host.activeRequests -= 1;
    const { status } = outcome;
    if (status !== undefined && status >= 200 && status < 600) this.counters.responses[`${Math.floor(status / 100)}xx` as '2xx']++;
    if (status === undefined || status >= 500) this.counters.errors += 1;
    if (outcome.connectFailure) this.counters.connectFailures += 1;
    if (outcome.timeout) this.counters.timeouts += 1;
    if (this.retired && this.activeRequests === 0) this.pools.close();
  }

  /** Replaced or removed: no more health checks; pools close once the last request is done. */
  retire(): void {
    this.retired = true;
    this.checker?.stop();
    if (this.activeRequests === 0) this.pools.close();
  }

  stats(): ClusterStats {
    return {
      name: this.config.name,
      membershipTotal: this.hosts.length,
      membershipHealthy: this.hosts.filter((h) => h.healthy).length,
      requests: this.counters.requests,
      activeRequests: this.activeRequests,
      responses: { ...this.counters.responses },
      errors: this.counters.errors,
      connectFailures: this.counters.connectFailures,
      timeouts: this.counters.timeouts,
      healthChecks: { ...this.hcCounters },
      hosts: this.hosts.map((h) => ({ address: h.address, healthy: h.healthy, pendingFirstCheck: h.pendingFirstCheck, activeRequests: h.activeRequests })),
    };
  }
}
