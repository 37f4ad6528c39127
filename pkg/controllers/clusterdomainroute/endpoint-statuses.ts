import type { ClusterDomainRouteStatus, DomainRouteSpec, Gateway } from '../../crd/index.ts';
import { isGatewayLive } from '../domainroute/gateway-liveness.ts';

export type EndpointStatuses = NonNullable<ClusterDomainRouteStatus['endpointStatuses']>;

/** Envoy's cluster for one port of a route, as gateways report it in networkStatus (Kuscia: GenerateClusterName). */
export function routeClusterName(source: string, destination: string, portName: string): string {
  return `${source}-to-${destination}-${portName}`;
}

/**
 * `endpointStatuses` (`<gateway>-<port>` → healthy) from the live gateways of the source domain: a
 * port is healthy from a gateway when that gateway reports healthy endpoints for the port's cluster.
 * As in Kuscia, entries are never removed, only turned unhealthy (a gateway gone stays listed false).
 */
export function desiredEndpointStatuses(spec: DomainRouteSpec, gateways: readonly Gateway[], now: number, previous: EndpointStatuses | undefined): EndpointStatuses | undefined {
  const healthy = new Set<string>();
  for (const gw of gateways) {
    if (!isGatewayLive(gw, now)) continue;
    for (const port of spec.endpoint?.ports ?? []) {
      const cluster = routeClusterName(spec.source, spec.destination, port.name);
      const ok = (gw.status?.networkStatus ?? []).some((m) => m.type === 'DomainRoute' && m.name === cluster && m.healthyEndpointsCount > 0);
      if (ok) healthy.add(`${gw.metadata.name ?? ''}-${port.name}`);
    }
  }
  const next: EndpointStatuses = {};
  for (const key of Object.keys(previous ?? {})) next[key] = { endpointHealthy: healthy.has(key) };
  for (const key of healthy) next[key] = { endpointHealthy: true };
  return Object.keys(next).length > 0 ? next : undefined;
}
