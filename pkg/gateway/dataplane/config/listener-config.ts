import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { compileHcm, HCM_TYPE, type HcmConfig } from './http-connection-manager.ts';
import { asList, asMsg, asNumber, asString, type Msg } from './proto-values.ts';
import { compileDownstreamTransportSocket, type DownstreamTlsSettings } from './tls-context.ts';

export interface CompiledListener {
  name: string;
  host: string;
  port: number;
  hcm: HcmConfig;
  tls?: DownstreamTlsSettings;
  /** SO_KEEPALIVE on accepted connections (`socket_options` level SOL_SOCKET, name SO_KEEPALIVE). */
  tcpKeepAlive: boolean;
}

/** Listener filters that only inspect what the data plane sniffs by itself. */
const HARMLESS_LISTENER_FILTERS = ['envoy.filters.listener.tls_inspector', 'envoy.filters.listener.http_inspector'];
const SOL_SOCKET = 1;
const SO_KEEPALIVE = 9;

/**
 * `envoy.config.listener.v3.Listener`: a TCP address and one filter chain whose only network
 * filter is an HttpConnectionManager, optionally behind a downstream TLS context.
 */
export function compileListener(name: string, body: Msg, ctx: CompileContext): CompiledListener {
  const where = `listener ${name}`;
  ctx.checkFields(
    body,
    'Listener',
    where,
    ['name', 'address', 'filterChains', 'defaultFilterChain', 'listenerFilters', 'socketOptions'],
    [
      'statPrefix', 'perConnectionBufferLimitBytes', 'metadata', 'drainType', 'trafficDirection', 'connectionBalanceConfig', 'reusePort',
      'enableReusePort', 'accessLog', 'tcpBacklogSize', 'tcpFastOpenQueueLength', 'ignoreGlobalConnLimit', 'maxConnectionsToAcceptPerSocketEvent',
      'listenerFiltersTimeout', 'continueOnListenerFiltersTimeout', 'bypassOverloadManager', 'freebind',
    ],
  );
  const socketAddress = asMsg(asMsg(body.address)?.socketAddress);
  if (!socketAddress) throw new XdsConfigError(where, 'only socket_address listener addresses are supported');
  ctx.checkFields(socketAddress, 'SocketAddress', `${where}.address`, ['address', 'portValue', 'protocol', 'ipv4Compat']);
  if (socketAddress.protocol === 'UDP') throw new XdsConfigError(where, 'UDP listeners are not supported');
  for (const [i, f] of asList(body.listenerFilters).entries()) {
    if (!HARMLESS_LISTENER_FILTERS.includes(asString(f.name))) throw new XdsConfigError(`${where}.listenerFilters[${i}]`, `listener filter ${asString(f.name)} is not supported`);
  }
  const chains = asList(body.filterChains);
  if (chains.length > 1) throw new XdsConfigError(where, 'more than one filter chain is not supported');
  const chain = chains[0] ?? asMsg(body.defaultFilterChain);
  if (!chain) throw new XdsConfigError(where, 'listener has no filter chain');
  const chainWhere = `${where}.filterChains[0]`;
  ctx.checkFields(chain, 'FilterChain', chainWhere, ['filters', 'transportSocket', 'filterChainMatch'], ['name', 'metadata', 'transportSocketConnectTimeout']);
  if (chain.filterChainMatch && Object.keys(asMsg(chain.filterChainMatch) ?? {}).length > 0) {
    throw new XdsConfigError(chainWhere, 'filter_chain_match is not supported');
  }
  const filters = asList(chain.filters);
  const hcmAny = filters.length === 1 ? asMsg(filters[0].typedConfig) : undefined;
  if (!hcmAny || hcmAny['@type'] !== HCM_TYPE) throw new XdsConfigError(chainWhere, 'the filter chain must hold exactly one network filter, the HttpConnectionManager');
  return {
    name,
    host: asString(socketAddress.address, '0.0.0.0'),
    port: asNumber(socketAddress.portValue),
    hcm: compileHcm(hcmAny, `${chainWhere}.filters[0]`, ctx),
    tls: chain.transportSocket ? compileDownstreamTransportSocket(asMsg(chain.transportSocket) ?? {}, `${chainWhere}.transportSocket`, ctx) : undefined,
    tcpKeepAlive: socketOptions(body.socketOptions, where, ctx),
  };
}

function socketOptions(options: unknown, where: string, ctx: CompileContext): boolean {
  let keepAlive = false;
  for (const o of asList(options)) {
    if (asNumber(o.level) === SOL_SOCKET && asNumber(o.name) === SO_KEEPALIVE) keepAlive = asNumber(o.intValue) !== 0;
    else ctx.ignored(`socket option ${asNumber(o.level)}/${asNumber(o.name)}`, where, 'only SO_KEEPALIVE is applied');
  }
  return keepAlive;
}
