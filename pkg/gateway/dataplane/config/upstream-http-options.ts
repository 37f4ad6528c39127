import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { asMsg, durationMs, type Msg, wrappedBool, wrappedNumber } from './proto-values.ts';

export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const HTTP_PROTOCOL_OPTIONS_TYPE = `type.googleapis.com/${HTTP_PROTOCOL_OPTIONS_KEY}`;

export interface UpstreamHttpOptions {
  /** `downstream`: whatever the request came in; `auto`: ALPN over TLS, else HTTP/1.1. */
  protocol: 'http1' | 'http2' | 'downstream' | 'auto';
  /** Idle upstream connections are closed after this (Envoy's default: 1 hour). */
  idleTimeoutMs: number;
  http2: { maxConcurrentStreams?: number; initialStreamWindowSize?: number; initialConnectionWindowSize?: number };
  /** SNI from the request's Host (`upstream_http_protocol_options.auto_sni`). */
  autoSni: boolean;
}

const DEFAULT_IDLE_TIMEOUT_MS = 3_600_000;

/**
 * The upstream HTTP protocol of a cluster: `typed_extension_protocol_options`
 * `envoy.extensions.upstreams.http.v3.HttpProtocolOptions`, or the deprecated Cluster fields
 * (`http2_protocol_options`, `protocol_selection`, ...); HTTP/1.1 when nothing is said.
 */
export function compileUpstreamHttpOptions(cluster: Msg, where: string, ctx: CompileContext): UpstreamHttpOptions {
  const extensions = asMsg(cluster.typedExtensionProtocolOptions) ?? {};
  for (const key of Object.keys(extensions)) {
    if (key !== HTTP_PROTOCOL_OPTIONS_KEY) ctx.ignored(`typed_extension_protocol_options ${key}`, where, 'not an HTTP upstream option');
  }
  const typed = asMsg(extensions[HTTP_PROTOCOL_OPTIONS_KEY]);
  if (typed) {
    if (cluster.http2ProtocolOptions || cluster.httpProtocolOptions || cluster.commonHttpProtocolOptions || cluster.protocolSelection) {
      throw new XdsConfigError(where, 'cannot mix HttpProtocolOptions with the deprecated protocol fields of the cluster');
    }
    if (typed['@type'] !== HTTP_PROTOCOL_OPTIONS_TYPE) throw new XdsConfigError(where, `unexpected type ${String(typed['@type'])} for ${HTTP_PROTOCOL_OPTIONS_KEY}`);
    return fromTyped(typed, `${where}.typedExtensionProtocolOptions`, ctx);
  }
  const common = asMsg(cluster.commonHttpProtocolOptions) ?? {};
  const h2 = asMsg(cluster.http2ProtocolOptions);
  const downstream = cluster.protocolSelection === 'USE_DOWNSTREAM_PROTOCOL';
  return {
    protocol: downstream ? 'downstream' : h2 ? 'http2' : 'http1',
    idleTimeoutMs: durationMs(common.idleTimeout) ?? DEFAULT_IDLE_TIMEOUT_MS,
    http2: http2Settings(h2),
    autoSni: wrappedBool(asMsg(cluster.upstreamHttpProtocolOptions)?.autoSni, false),
  };
}

function fromTyped(options: Msg, where: string, ctx: CompileContext): UpstreamHttpOptions {
  ctx.checkFields(options, 'HttpProtocolOptions', where, ['commonHttpProtocolOptions', 'upstreamHttpProtocolOptions', 'explicitHttpConfig', 'useDownstreamProtocolConfig', 'autoConfig'], [
    'headerValidationConfig',
  ]);
  const common = asMsg(options.commonHttpProtocolOptions) ?? {};
  ctx.checkFields(common, 'HttpProtocolOptions', `${where}.commonHttpProtocolOptions`, ['idleTimeout'], [
    'maxConnectionDuration', 'maxHeadersCount', 'maxStreamDuration', 'headersWithUnderscoresAction', 'maxRequestsPerConnection',
  ]);
  let protocol: UpstreamHttpOptions['protocol'] = 'http1';
  let h2: Msg | undefined;
  if (options.explicitHttpConfig) {
    const explicit = asMsg(options.explicitHttpConfig) ?? {};
    if (explicit.http3ProtocolOptions) throw new XdsConfigError(where, 'HTTP/3 upstreams are not supported');
    h2 = asMsg(explicit.http2ProtocolOptions);
    protocol = h2 ? 'http2' : 'http1';
  } else if (options.useDownstreamProtocolConfig) {
    h2 = asMsg(asMsg(options.useDownstreamProtocolConfig)?.http2ProtocolOptions);
    protocol = 'downstream';
  } else if (options.autoConfig) {
    const auto = asMsg(options.autoConfig) ?? {};
    if (auto.http3ProtocolOptions) throw new XdsConfigError(where, 'HTTP/3 upstreams are not supported');
    h2 = asMsg(auto.http2ProtocolOptions);
    protocol = 'auto';
  }
  return {
    protocol,
    idleTimeoutMs: durationMs(common.idleTimeout) ?? DEFAULT_IDLE_TIMEOUT_MS,
    http2: http2Settings(h2),
    autoSni: wrappedBool(asMsg(options.upstreamHttpProtocolOptions)?.autoSni, false),
  };
}

function http2Settings(h2: Msg | undefined): UpstreamHttpOptions['http2'] {
  if (!h2) return {};
  return {
    maxConcurrentStreams: 'maxConcurrentStreams' in h2 ? wrappedNumber(h2.maxConcurrentStreams, 0) : undefined,
    initialStreamWindowSize: 'initialStreamWindowSize' in h2 ? wrappedNumber(h2.initialStreamWindowSize, 0) : undefined,
    initialConnectionWindowSize: 'initialConnectionWindowSize' in h2 ? wrappedNumber(h2.initialConnectionWindowSize, 0) : undefined,
  };
}
