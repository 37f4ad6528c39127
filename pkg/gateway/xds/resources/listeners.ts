import { TypeUrl, type XdsResource } from '../envoy-protos.ts';
import { anyMessage, type Body, FilterName, MessageType, rdsOverAds, socketAddress } from './envoy-values.ts';
import { type GatewayState, listenAddressOf } from './gateway-state.ts';
import { ListenerName, RouteConfigName } from './names.ts';
import { denyAllRbac } from './rbac.ts';
import { unauthorizedReplyConfig } from './unauthorized-reply.ts';

/**
 * The two listeners. Nothing in them depends on DomainRoutes, Services or tokens — only on the
 * gateway's identity and ports — so route and token changes never replace a listener (a listener
 * update makes Envoy drain every connection it holds; anchors §3.1). Everything that changes lives
 * in the RouteConfigurations they name.
 *
 * Codec type is left at AUTO (the enum's zero value): HTTP/1.1 and HTTP/2 (prior knowledge, as
 * gRPC clients and peer gateways send it) on the same port.
 */
export function buildListeners(state: GatewayState): XdsResource[] {
  return [internalListener(state), externalListener(state)];
}

function internalListener(state: GatewayState): XdsResource {
  const hcm = {
    statPrefix: 'internal_http',
    rds: rdsOverAds(RouteConfigName.Internal),
    httpFilters: [routerFilter()],
    // Apps may address `svc.peer.svc:8080`; virtual hosts and Kuscia-Host use the name alone
    // (what Kuscia's gress filter does by hand).
    stripAnyHostPort: true,
    // protobufjs' camelCase of accept_http_10 (HTTP/1.0 clients such as simple probes).
    httpProtocolOptions: { acceptHttp_10: true },
  };
  return listener(ListenerName.Internal, listenAddressOf(state), state.ports.internal, hcm);
}

function externalListener(state: GatewayState): XdsResource {
  const hcm = {
    statPrefix: 'external_http',
    serverName: 'kuscia-gateway',
    rds: rdsOverAds(RouteConfigName.External),
    httpFilters: [
      // Deny by default: the real policies are per route in external-route (RDS), so tokens never
      // sit in this listener; a route without one (there should be none) is closed, not open.
      { name: FilterName.Rbac, typedConfig: anyMessage(MessageType.Rbac, denyAllRbac()) },
      routerFilter(),
    ],
    stripAnyHostPort: true,
    localReplyConfig: unauthorizedReplyConfig(state.domain, state.instance, state.version),
  };
  // TCP keepalive on accepted connections (SOL_SOCKET, SO_KEEPALIVE), as Kuscia: peers sit behind
  // NATs and proxies that drop idle flows.
  const keepAlive = { socketOptions: [{ description: 'support tcp keep alive', level: 1, name: 9, intValue: 1 }] };
  return listener(ListenerName.External, listenAddressOf(state), state.ports.external, hcm, keepAlive);
}

function listener(name: string, address: string, port: number, hcm: Body, extra: Body = {}): XdsResource {
  return {
    typeUrl: TypeUrl.Listener,
    name,
    body: {
      name,
      address: socketAddress(address, port),
      ...extra,
      filterChains: [
        { filters: [{ name: FilterName.HttpConnectionManager, typedConfig: anyMessage(MessageType.HttpConnectionManager, hcm) }] },
      ],
    },
  };
}

/** Envoy requires the router last in the chain; grpc-js-xds NACKs listeners where it is not. */
function routerFilter(): Body {
  return { name: FilterName.Router, typedConfig: anyMessage(MessageType.Router) };
}
