import { request } from 'node:http';
import type { GatewayEndpointStatus } from '../../crd/index.ts';
import { isPeerClusterName } from '../xds/resources/names.ts';

/**
 * The two questions the gateway asks a running Envoy's admin API (on 127.0.0.1 only): is it ready,
 * and how healthy are the peer clusters.
 */

export interface AdminResponse {
  status: number;
  body: string;
}

/** GET on the admin port; rejects when nothing answers (not started yet, or gone). */
export function adminGet(adminPort: number, path: string, timeoutMs = 2_000): Promise<AdminResponse> {
  return new Promise((resolve, reject) => {
    // No agent: one short-lived connection per question; never a proxy (the admin API is loopback only).
    const req = request({ host: '127.0.0.1', port: adminPort, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`envoy admin ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Envoy's `/ready`: 200 once the server is LIVE (its initial CDS/LDS have arrived or timed out). */
export async function isEnvoyReady(adminPort: number): Promise<boolean> {
  try {
    return (await adminGet(adminPort, '/ready')).status === 200;
  } catch {
    return false;
  }
}


/**
 * The Gateway object's networkStatus from `/clusters?format=json` (envoy.admin.v3.Clusters, snake_case
 * field names): per peer cluster, its hosts and those Envoy would send traffic to. A host is unhealthy
 * when an active or outlier check failed it, it timed out, or EDS says it is not usable; a new host
 * counts as unhealthy until its first health check passes, as Envoy routes it.
 */
export function networkStatusFromClusters(json: unknown): GatewayEndpointStatus[] {
  const statuses = asArray(asRecord(json)?.cluster_statuses);
  const out: GatewayEndpointStatus[] = [];
  for (const cluster of statuses) {
    const c = asRecord(cluster);
    const name = typeof c?.name === 'string' ? c.name : undefined;
    if (!name || !isPeerClusterName(name)) continue;
    const hosts = asArray(c?.host_statuses);
    out.push({ name, type: 'DomainRoute', totalEndpointsCount: hosts.length, healthyEndpointsCount: hosts.filter((h) => isHealthy(asRecord(h)?.health_status)).length });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const FAILURE_FLAGS = ['failed_active_health_check', 'failed_outlier_check', 'active_hc_timeout', 'excluded_via_immediate_hc_fail'] as const;
/** EDS states that take traffic (UNKNOWN is what non-EDS hosts report). */
const USABLE_EDS = new Set([undefined, 'UNKNOWN', 'HEALTHY']);

function isHealthy(health: unknown): boolean {
  const h = asRecord(health) ?? {};
  if (FAILURE_FLAGS.some((flag) => h[flag] === true)) return false;
  return USABLE_EDS.has(h.eds_health_status as string | undefined);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
