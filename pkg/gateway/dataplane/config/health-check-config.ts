import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { compileHeaderMutation, type HeaderMutation } from './header-mutation.ts';
import { asList, asMsg, asNumber, asString, durationMs, type Msg, wrappedNumber } from './proto-values.ts';

export interface HealthCheckConfig {
  timeoutMs: number;
  intervalMs: number;
  intervalJitterMs: number;
  initialJitterMs: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
  unhealthyIntervalMs: number;
  unhealthyEdgeIntervalMs: number;
  healthyEdgeIntervalMs: number;
  /** Used until the cluster has carried traffic (Envoy's default: 60 s). */
  noTrafficIntervalMs: number;
  noTrafficHealthyIntervalMs: number;
  http?: {
    /** Host header; empty → the cluster's name, as Envoy. */
    host: string;
    path: string;
    method: string;
    headers: HeaderMutation;
    /** Accepted status ranges [start, end); default [200, 201). */
    expectedStatuses: Array<[number, number]>;
    codec: 'HTTP1' | 'HTTP2';
  };
  /** `tcp_health_check` without payloads: a successful connect is healthy. */
  tcp?: true;
}

const DEFAULT_NO_TRAFFIC_INTERVAL_MS = 60_000;

/** `envoy.config.core.v3.HealthCheck`: HTTP checks, and TCP connect checks. */
export function compileHealthCheck(hc: Msg, where: string, ctx: CompileContext): HealthCheckConfig {
  ctx.checkFields(
    hc,
    'HealthCheck',
    where,
    [
      'timeout', 'interval', 'initialJitter', 'intervalJitter', 'unhealthyThreshold', 'healthyThreshold', 'httpHealthCheck', 'tcpHealthCheck',
      'noTrafficInterval', 'noTrafficHealthyInterval', 'unhealthyInterval', 'unhealthyEdgeInterval', 'healthyEdgeInterval',
    ],
    ['reuseConnection', 'eventLogPath', 'eventLogger', 'alwaysLogHealthCheckFailures', 'alwaysLogHealthCheckSuccess', 'intervalJitterPercent'],
  );
  const timeoutMs = durationMs(hc.timeout);
  const intervalMs = durationMs(hc.interval);
  if (!timeoutMs || !intervalMs) throw new XdsConfigError(where, 'health check timeout and interval must be set and above 0');
  const noTraffic = durationMs(hc.noTrafficInterval) || DEFAULT_NO_TRAFFIC_INTERVAL_MS;
  const unhealthyInterval = durationMs(hc.unhealthyInterval) || intervalMs;
  const config: HealthCheckConfig = {
    timeoutMs,
    intervalMs,
    intervalJitterMs: durationMs(hc.intervalJitter) ?? 0,
    initialJitterMs: durationMs(hc.initialJitter) ?? 0,
    unhealthyThreshold: Math.max(1, wrappedNumber(hc.unhealthyThreshold, 1)),
    healthyThreshold: Math.max(1, wrappedNumber(hc.healthyThreshold, 1)),
    unhealthyIntervalMs: unhealthyInterval,
    unhealthyEdgeIntervalMs: durationMs(hc.unhealthyEdgeInterval) || unhealthyInterval,
    healthyEdgeIntervalMs: durationMs(hc.healthyEdgeInterval) || intervalMs,
    noTrafficIntervalMs: noTraffic,
    noTrafficHealthyIntervalMs: durationMs(hc.noTrafficHealthyInterval) || noTraffic,
  };
  if (hc.httpHealthCheck) config.http = compileHttpCheck(asMsg(hc.httpHealthCheck) ?? {}, `${where}.httpHealthCheck`, ctx);
  else if (hc.tcpHealthCheck) {
    const tcp = asMsg(hc.tcpHealthCheck) ?? {};
    if (tcp.send || asList(tcp.receive).length > 0) throw new XdsConfigError(where, 'TCP health checks with payloads are not supported');
    config.tcp = true;
  } else throw new XdsConfigError(where, 'only HTTP and TCP health checks are supported');
  return config;
}

function compileHttpCheck(http: Msg, where: string, ctx: CompileContext): NonNullable<HealthCheckConfig['http']> {
  ctx.checkFields(http, 'HttpHealthCheck', where, ['host', 'path', 'requestHeadersToAdd', 'requestHeadersToRemove', 'expectedStatuses', 'codecClientType', 'method'], [
    'retriableStatuses', 'responseBufferSize', 'serviceNameMatcher',
  ]);
  const ranges = asList(http.expectedStatuses).map((r) => [asNumber(r.start), asNumber(r.end)] as [number, number]);
  const codec = asString(http.codecClientType, 'HTTP1');
  if (codec !== 'HTTP1' && codec !== 'HTTP2') throw new XdsConfigError(where, `health check codec ${codec} is not supported`);
  const method = asString(http.method, 'METHOD_UNSPECIFIED');
  return {
    host: asString(http.host),
    path: asString(http.path) || '/',
    method: method === 'METHOD_UNSPECIFIED' ? 'GET' : method,
    headers: compileHeaderMutation(http.requestHeadersToAdd, http.requestHeadersToRemove, `${where}.requestHeadersToAdd`, ctx),
    expectedStatuses: ranges.length > 0 ? ranges : [[200, 201]],
    codec,
  };
}
