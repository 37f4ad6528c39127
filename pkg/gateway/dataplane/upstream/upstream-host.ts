import type { EndpointConfig, EndpointHealthStatus } from '../config/endpoints-config.ts';

/** What the control plane's health status means for traffic (Envoy: UNHEALTHY/DRAINING/TIMEOUT take none). */
const EXCLUDED: readonly EndpointHealthStatus[] = ['UNHEALTHY', 'DRAINING', 'TIMEOUT'];

/** One endpoint of a cluster at run time: its address, its health and its load. */
export class UpstreamHost {
  readonly config: EndpointConfig;
  readonly key: string;
  readonly host: string;
  readonly port: number;
  readonly hostname: string | undefined;
  readonly healthCheckPort: number;
  readonly priority: number;
  readonly edsStatus: EndpointHealthStatus;
  /** Result of active health checking; true when the cluster has none. */
  activeHealthy: boolean;
  /** No health check has answered yet. */
  pendingFirstCheck: boolean;
  activeRequests = 0;

  constructor(config: EndpointConfig, checked: boolean) {
    this.config = config;
    this.key = hostKey(config);
    this.host = config.host;
    this.port = config.port;
    this.hostname = config.hostname;
    this.healthCheckPort = config.healthCheckPort ?? config.port;
    this.priority = config.priority;
    this.edsStatus = config.status;
    // As Envoy: an actively checked host counts as failed until its first check passes.
    this.activeHealthy = !checked;
    this.pendingFirstCheck = checked;
  }

  get healthy(): boolean {
    return this.activeHealthy && !EXCLUDED.includes(this.edsStatus);
  }

  /** `host:port` for logs, stats and `%UPSTREAM_HOST%`. */
  get address(): string {
    return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }
}

export function hostKey(e: Pick<EndpointConfig, 'host' | 'port'>): string {
  return `${e.host}:${e.port}`;
}
