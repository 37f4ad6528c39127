import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { compileLoadAssignment, type EndpointConfig } from './endpoints-config.ts';
import { compileHealthCheck, type HealthCheckConfig } from './health-check-config.ts';
import { asList, asMsg, asString, durationMs, type Msg, wrappedNumber } from './proto-values.ts';
import { compileUpstreamTransportSocket, type UpstreamTlsSettings } from './tls-context.ts';
import { compileUpstreamHttpOptions, type UpstreamHttpOptions } from './upstream-http-options.ts';

export type DiscoveryType = 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'EDS';
export type DnsFamily = 'AUTO' | 'V4_ONLY' | 'V6_ONLY' | 'V4_PREFERRED' | 'ALL';

export interface ClusterConfig {
  name: string;
  type: DiscoveryType;
  /** EDS: the ClusterLoadAssignment to subscribe to (service_name, else the cluster's name). */
  edsServiceName?: string;
  /** STATIC / DNS: the endpoints of `load_assignment`. */
  endpoints: EndpointConfig[];
  connectTimeoutMs: number;
  lbPolicy: 'ROUND_ROBIN' | 'RANDOM' | 'LEAST_REQUEST';
  /** Below this percentage of healthy hosts, Envoy balances over all hosts (panic mode); 0 disables it. */
  panicThresholdPercent: number;
  http: UpstreamHttpOptions;
  tls?: UpstreamTlsSettings;
  healthCheck?: HealthCheckConfig;
  tcpKeepAlive: boolean;
  dnsFamily: DnsFamily;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** `envoy.config.cluster.v3.Cluster`. */
export function compileCluster(name: string, c: Msg, ctx: CompileContext): ClusterConfig {
  const where = `cluster ${name}`;
  ctx.checkFields(
    c,
    'Cluster',
    where,
    [
      'name', 'type', 'edsClusterConfig', 'connectTimeout', 'lbPolicy', 'loadAssignment', 'healthChecks', 'typedExtensionProtocolOptions',
      'http2ProtocolOptions', 'httpProtocolOptions', 'commonHttpProtocolOptions', 'protocolSelection', 'transportSocket', 'commonLbConfig',
      'upstreamConnectionOptions', 'dnsLookupFamily', 'upstreamHttpProtocolOptions',
    ],
    [
      'altStatName', 'perConnectionBufferLimitBytes', 'circuitBreakers', 'dnsRefreshRate', 'dnsFailureRefreshRate', 'respectDnsTtl', 'dnsResolvers',
      'useTcpForDnsLookups', 'dnsResolutionConfig', 'typedDnsResolverConfig', 'waitForWarmOnInit', 'outlierDetection', 'cleanupInterval',
      'ringHashLbConfig', 'maglevLbConfig', 'leastRequestLbConfig', 'roundRobinLbConfig', 'metadata', 'closeConnectionsOnHostHealthFailure',
      'ignoreHealthOnHostRemoval', 'trackTimeoutBudgets', 'trackClusterStats', 'preconnectPolicy', 'maxRequestsPerConnection',
    ],
  );
  const type = asString(c.type, 'STATIC');
  if (type !== 'STATIC' && type !== 'STRICT_DNS' && type !== 'LOGICAL_DNS' && type !== 'EDS') {
    throw new XdsConfigError(where, `cluster type ${type} is not supported`);
  }
  const healthChecks = asList(c.healthChecks);
  if (healthChecks.length > 1) throw new XdsConfigError(where, 'more than one health check is not supported');
  const eds = asMsg(c.edsClusterConfig) ?? {};
  const endpoints = c.loadAssignment ? compileLoadAssignment(asMsg(c.loadAssignment) ?? {}, `${where}.loadAssignment`, ctx) : [];
  if (type === 'LOGICAL_DNS' && endpoints.length > 1) throw new XdsConfigError(where, 'a LOGICAL_DNS cluster has exactly one endpoint');
  const upstreamOptions = asMsg(c.upstreamConnectionOptions) ?? {};
  ctx.checkFields(upstreamOptions, 'UpstreamConnectionOptions', `${where}.upstreamConnectionOptions`, ['tcpKeepalive'], ['setLocalInterfaceNameOnUpstreamConnections', 'happyEyeballsConfig']);
  const commonLb = asMsg(c.commonLbConfig) ?? {};
  ctx.checkFields(commonLb, 'CommonLbConfig', `${where}.commonLbConfig`, ['healthyPanicThreshold'], [
    'zoneAwareLbConfig', 'localityWeightedLbConfig', 'updateMergeWindow', 'ignoreNewHostsUntilFirstHc', 'closeConnectionsOnHostSetChange',
    'consistentHashingLbConfig', 'overrideHostStatus',
  ]);
  return {
    name,
    type,
    edsServiceName: type === 'EDS' ? asString(eds.serviceName) || name : undefined,
    endpoints,
    connectTimeoutMs: durationMs(c.connectTimeout) ?? DEFAULT_CONNECT_TIMEOUT_MS,
    lbPolicy: lbPolicyOf(asString(c.lbPolicy, 'ROUND_ROBIN'), where, ctx),
    panicThresholdPercent: 'healthyPanicThreshold' in commonLb ? wrappedNumber(asMsg(commonLb.healthyPanicThreshold), 0) : 50,
    http: compileUpstreamHttpOptions(c, where, ctx),
    tls: c.transportSocket ? compileUpstreamTransportSocket(asMsg(c.transportSocket) ?? {}, `${where}.transportSocket`, ctx) : undefined,
    healthCheck: healthChecks[0] ? compileHealthCheck(healthChecks[0], `${where}.healthChecks[0]`, ctx) : undefined,
    tcpKeepAlive: 'tcpKeepalive' in upstreamOptions,
    dnsFamily: asString(c.dnsLookupFamily, 'AUTO') as DnsFamily,
  };
}

function lbPolicyOf(policy: string, where: string, ctx: CompileContext): ClusterConfig['lbPolicy'] {
  if (policy === 'ROUND_ROBIN' || policy === 'RANDOM' || policy === 'LEAST_REQUEST') return policy;
  if (policy === 'RING_HASH' || policy === 'MAGLEV') {
    ctx.ignored(`lb_policy ${policy}`, where, 'consistent hashing is not implemented; round robin is used instead');
    return 'ROUND_ROBIN';
  }
  throw new XdsConfigError(where, `lb_policy ${policy} is not supported`);
}
