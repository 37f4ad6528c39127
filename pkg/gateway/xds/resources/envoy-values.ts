/**
 * Small Envoy v3 building blocks in protobufjs fromObject shape (see envoy-protos.ts). Proto3 drops
 * zero values on the wire, so nothing here writes a default (false, 0, '', the first enum value):
 * a body that carried one would not survive the encode/decode round trip the tests check.
 */

export type Body = Record<string, unknown>;

/** A `google.protobuf.Any` of the given message. */
export function anyMessage(messageType: string, fields: Body = {}): Body {
  return { '@type': `type.googleapis.com/${messageType}`, ...fields };
}

export const MessageType = {
  HttpConnectionManager: 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  Router: 'envoy.extensions.filters.http.router.v3.Router',
  Rbac: 'envoy.extensions.filters.http.rbac.v3.RBAC',
  RbacPerRoute: 'envoy.extensions.filters.http.rbac.v3.RBACPerRoute',
  HttpProtocolOptions: 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  UpstreamTlsContext: 'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
} as const;

export const FilterName = {
  HttpConnectionManager: 'envoy.filters.network.http_connection_manager',
  Router: 'envoy.filters.http.router',
  Rbac: 'envoy.filters.http.rbac',
  HttpProtocolOptions: 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  TlsTransportSocket: 'envoy.transport_sockets.tls',
} as const;

/** A `google.protobuf.Duration` of whole seconds; zero is `{}` (present, meaning "disabled" where Envoy says so). */
export function seconds(value: number): Body {
  return value === 0 ? {} : { seconds: value };
}

export function socketAddress(address: string, port: number): Body {
  return { socketAddress: { address, portValue: port } };
}

/** A header set on the request/response, replacing any value the peer or app sent. */
export function overwriteHeader(key: string, value: string): Body {
  return { header: { key, value }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' };
}

/** A header added only when absent. */
export function headerIfAbsent(key: string, value: string): Body {
  return { header: { key, value }, appendAction: 'ADD_IF_ABSENT' };
}

/** Header matchers (`envoy.config.route.v3.HeaderMatcher`). */
export const match = {
  exact: (name: string, value: string): Body => ({ name, stringMatch: { exact: value } }),
  prefix: (name: string, value: string): Body => ({ name, stringMatch: { prefix: value } }),
  present: (name: string): Body => ({ name, presentMatch: true }),
  /**
   * The header is absent or one of `values`: a missing header is matched as '' against
   * `^(|v1|v2)$` (Envoy's safe_regex is a full match).
   */
  absentOrOneOf: (name: string, values: readonly string[]): Body => ({
    name,
    stringMatch: { safeRegex: { regex: `(|${values.map(escapeRegex).join('|')})` } },
    treatMissingHeaderAsEmpty: true,
  }),
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The route action defaults of Kuscia's gateway (AddDefaultTimeout): no overall timeout (jobs stream
 * for hours; Envoy's default would cut requests after 15 s), an idle timeout, and no cap from
 * `grpc-timeout` headers.
 */
export function forwardingAction(idleTimeoutSeconds: number, target: Body): Body {
  return {
    ...target,
    timeout: seconds(0),
    idleTimeout: seconds(idleTimeoutSeconds),
    maxStreamDuration: { maxStreamDuration: seconds(0), grpcTimeoutHeaderMax: seconds(0) },
  };
}

/** Upstream HTTP protocol: HTTP/2 for gRPC upstreams, otherwise whatever the caller spoke. */
export function httpProtocolOptions(http2: boolean, common?: Body): Body {
  const upstream = http2 ? { explicitHttpConfig: { http2ProtocolOptions: {} } } : { useDownstreamProtocolConfig: {} };
  return {
    [FilterName.HttpProtocolOptions]: anyMessage(MessageType.HttpProtocolOptions, {
      ...(common ? { commonHttpProtocolOptions: common } : {}),
      ...upstream,
    }),
  };
}

export function upstreamTls(sni?: string): Body {
  return {
    name: FilterName.TlsTransportSocket,
    typedConfig: anyMessage(MessageType.UpstreamTlsContext, sni ? { sni } : {}),
  };
}

/** RDS over the same ADS stream the listener came from. */
export function rdsOverAds(routeConfigName: string): Body {
  return { routeConfigName, configSource: { ads: {}, resourceApiVersion: 'V3' } };
}
