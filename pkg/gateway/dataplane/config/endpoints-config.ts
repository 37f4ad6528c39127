import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { asList, asMsg, asNumber, asString, type Msg, wrappedNumber } from './proto-values.ts';

export type EndpointHealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

export interface EndpointConfig {
  host: string;
  port: number;
  /** `Endpoint.hostname`: what auto_host_rewrite puts in Host. */
  hostname?: string;
  /** `health_check_config.port_value`: health checks go to this port instead. */
  healthCheckPort?: number;
  /** The status the control plane gave (EDS); UNHEALTHY, DRAINING and TIMEOUT take no traffic. */
  status: EndpointHealthStatus;
  priority: number;
  weight: number;
}

/** `envoy.config.endpoint.v3.ClusterLoadAssignment` (from EDS or a cluster's `load_assignment`). */
export function compileLoadAssignment(cla: Msg, where: string, ctx: CompileContext): EndpointConfig[] {
  ctx.checkFields(cla, 'ClusterLoadAssignment', where, ['clusterName', 'endpoints'], ['policy', 'namedEndpoints']);
  const out: EndpointConfig[] = [];
  asList(cla.endpoints).forEach((locality, i) => {
    const at = `${where}.endpoints[${i}]`;
    ctx.checkFields(locality, 'LocalityLbEndpoints', at, ['lbEndpoints', 'priority', 'loadBalancingWeight', 'locality'], ['metadata', 'proximity']);
    asList(locality.lbEndpoints).forEach((lb, j) => {
      out.push(compileLbEndpoint(lb, asNumber(locality.priority), `${at}.lbEndpoints[${j}]`, ctx));
    });
  });
  return out;
}

function compileLbEndpoint(lb: Msg, priority: number, where: string, ctx: CompileContext): EndpointConfig {
  ctx.checkFields(lb, 'LbEndpoint', where, ['endpoint', 'healthStatus', 'loadBalancingWeight'], ['metadata']);
  const endpoint = asMsg(lb.endpoint);
  if (!endpoint) throw new XdsConfigError(where, 'named endpoints are not supported');
  ctx.checkFields(endpoint, 'Endpoint', where, ['address', 'hostname', 'healthCheckConfig'], ['additionalAddresses']);
  const socket = asMsg(asMsg(endpoint.address)?.socketAddress);
  if (!socket) throw new XdsConfigError(where, 'only socket_address endpoints are supported');
  ctx.checkFields(socket, 'SocketAddress', where, ['address', 'portValue', 'protocol', 'ipv4Compat']);
  const hc = asMsg(endpoint.healthCheckConfig) ?? {};
  ctx.checkFields(hc, 'HealthCheckConfig', `${where}.healthCheckConfig`, ['portValue'], ['hostname', 'disableActiveHealthCheck']);
  return {
    host: asString(socket.address),
    port: asNumber(socket.portValue),
    hostname: asString(endpoint.hostname) || undefined,
    healthCheckPort: asNumber(hc.portValue) || undefined,
    status: asString(lb.healthStatus, 'UNKNOWN') as EndpointHealthStatus,
    priority,
    weight: wrappedNumber(lb.loadBalancingWeight, 1),
  };
}
