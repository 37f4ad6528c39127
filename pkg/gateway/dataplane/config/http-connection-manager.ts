import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { compileHttpFilters, type HttpFilterChain } from './http-filters.ts';
import { LocalReplyConfig } from './local-reply.ts';
import { asMsg, asString, durationMs, type Msg, wrappedBool, wrappedNumber } from './proto-values.ts';
import { CompiledRouteConfig } from './route-config.ts';

export const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';

export type RouteSource = { kind: 'rds'; name: string } | { kind: 'inline'; config: CompiledRouteConfig };

export type CodecType = 'AUTO' | 'HTTP1' | 'HTTP2';

export interface HcmConfig {
  statPrefix: string;
  codecType: CodecType;
  routes: RouteSource;
  filters: HttpFilterChain;
  /** Value of the `server` response header. */
  serverName: string;
  serverHeaderTransformation: 'OVERWRITE' | 'APPEND_IF_ABSENT' | 'PASS_THROUGH';
  /** 0 = none. Envoy's default is 5 minutes. */
  streamIdleTimeoutMs: number;
  /** Until the whole request is received; 0 = none (the default). */
  requestTimeoutMs: number;
  /** A connection without streams is closed after this; Envoy's default is 1 hour. */
  connectionIdleTimeoutMs: number;
  localReply: LocalReplyConfig;
  stripAnyHostPort: boolean;
  stripMatchingHostPort: boolean;
  acceptHttp10: boolean;
  defaultHostForHttp10: string;
  /** HTTP/1.1 absolute-form targets (`GET http://host/path`, as HTTP proxy clients send) are accepted. */
  allowAbsoluteUrl: boolean;
  generateRequestId: boolean;
  http2: { maxConcurrentStreams?: number; initialStreamWindowSize?: number; initialConnectionWindowSize?: number };
}

const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
const DEFAULT_CONNECTION_IDLE_TIMEOUT_MS = 3_600_000;

/** `envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`. */
export function compileHcm(hcm: Msg, where: string, ctx: CompileContext): HcmConfig {
  ctx.checkFields(
    hcm,
    'HttpConnectionManager',
    where,
    [
      'codecType', 'statPrefix', 'rds', 'routeConfig', 'httpFilters', 'commonHttpProtocolOptions', 'httpProtocolOptions', 'http2ProtocolOptions',
      'serverName', 'serverHeaderTransformation', 'streamIdleTimeout', 'requestTimeout', 'generateRequestId', 'localReplyConfig',
      'stripMatchingHostPort', 'stripAnyHostPort',
    ],
    [
      'addUserAgent', 'tracing', 'maxRequestHeadersKb', 'requestHeadersTimeout', 'drainTimeout', 'delayedCloseTimeout', 'accessLog',
      'accessLogFlushInterval', 'flushAccessLogOnNewRequest', 'accessLogOptions', 'useRemoteAddress', 'xffNumTrustedHops', 'internalAddressConfig',
      'skipXffAppend', 'via', 'preserveExternalRequestId', 'alwaysSetRequestIdInResponse', 'forwardClientCertDetails', 'setCurrentClientCertDetails',
      'proxy_100Continue', 'representIpv4RemoteAddressAsIpv4MappedIpv6', 'upgradeConfigs', 'normalizePath', 'mergeSlashes',
      'pathWithEscapedSlashesAction', 'streamErrorOnInvalidHttpMessage', 'stripTrailingHostDot', 'appendXForwardedPort', 'schemeHeaderTransformation',
    ],
  );
  const common = asMsg(hcm.commonHttpProtocolOptions) ?? {};
  ctx.checkFields(common, 'HttpProtocolOptions', `${where}.commonHttpProtocolOptions`, ['idleTimeout'], [
    'maxConnectionDuration', 'maxHeadersCount', 'maxStreamDuration', 'headersWithUnderscoresAction', 'maxRequestsPerConnection',
  ]);
  const http1 = asMsg(hcm.httpProtocolOptions) ?? {};
  ctx.checkFields(http1, 'Http1ProtocolOptions', `${where}.httpProtocolOptions`, ['acceptHttp_10', 'defaultHostForHttp_10', 'allowAbsoluteUrl'], [
    'headerKeyFormat', 'enableTrailers', 'allowChunkedLength', 'overrideStreamErrorOnInvalidHttpMessage', 'useBalsaParser', 'allowCustomMethods',
  ]);
  const http2 = asMsg(hcm.http2ProtocolOptions) ?? {};
  ctx.checkFields(http2, 'Http2ProtocolOptions', `${where}.http2ProtocolOptions`, ['maxConcurrentStreams', 'initialStreamWindowSize', 'initialConnectionWindowSize'], [
    'hpackTableSize', 'allowConnect', 'allowMetadata', 'maxOutboundFrames', 'maxOutboundControlFrames', 'maxConsecutiveInboundFramesWithEmptyPayload',
    'maxInboundPriorityFramesPerStream', 'maxInboundWindowUpdateFramesPerDataFrameSent', 'streamErrorOnInvalidHttpMessaging',
    'overrideStreamErrorOnInvalidHttpMessage', 'connectionKeepalive',
  ]);
  const codecType = asString(hcm.codecType, 'AUTO');
  if (codecType !== 'AUTO' && codecType !== 'HTTP1' && codecType !== 'HTTP2') throw new XdsConfigError(where, `codec_type ${codecType} is not supported`);
  return {
    statPrefix: asString(hcm.statPrefix),
    codecType,
    routes: routeSource(hcm, where, ctx),
    filters: compileHttpFilters(hcm.httpFilters, `${where}.httpFilters`, ctx),
    serverName: asString(hcm.serverName) || 'envoy',
    serverHeaderTransformation: asString(hcm.serverHeaderTransformation, 'OVERWRITE') as HcmConfig['serverHeaderTransformation'],
    streamIdleTimeoutMs: durationMs(hcm.streamIdleTimeout) ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    requestTimeoutMs: durationMs(hcm.requestTimeout) ?? 0,
    connectionIdleTimeoutMs: durationMs(common.idleTimeout) ?? DEFAULT_CONNECTION_IDLE_TIMEOUT_MS,
    localReply: hcm.localReplyConfig ? LocalReplyConfig.compile(asMsg(hcm.localReplyConfig) ?? {}, `${where}.localReplyConfig`, ctx) : LocalReplyConfig.NONE,
    stripAnyHostPort: hcm.stripAnyHostPort === true,
    stripMatchingHostPort: hcm.stripMatchingHostPort === true,
    acceptHttp10: http1.acceptHttp_10 === true,
    defaultHostForHttp10: asString(http1.defaultHostForHttp_10),
    allowAbsoluteUrl: wrappedBool(http1.allowAbsoluteUrl, true),
    generateRequestId: wrappedBool(hcm.generateRequestId, true),
    http2: {
      maxConcurrentStreams: 'maxConcurrentStreams' in http2 ? wrappedNumber(http2.maxConcurrentStreams, 0) : undefined,
      initialStreamWindowSize: 'initialStreamWindowSize' in http2 ? wrappedNumber(http2.initialStreamWindowSize, 0) : undefined,
      initialConnectionWindowSize: 'initialConnectionWindowSize' in http2 ? wrappedNumber(http2.initialConnectionWindowSize, 0) : undefined,
    },
  };
}

function routeSource(hcm: Msg, where: string, ctx: CompileContext): RouteSource {
  if (hcm.rds) {
    const rds = asMsg(hcm.rds) ?? {};
    ctx.checkFields(rds, 'Rds', `${where}.rds`, ['routeConfigName', 'configSource']);
    const source = asMsg(rds.configSource) ?? {};
    // The data plane has one xDS source, its ADS stream: `ads` and `self` both mean that stream.
    if (!('ads' in source) && !('self' in source)) throw new XdsConfigError(`${where}.rds`, 'route configurations can only come over ADS (config_source ads or self)');
    return { kind: 'rds', name: asString(rds.routeConfigName) };
  }
  if (hcm.routeConfig) {
    const inline = asMsg(hcm.routeConfig) ?? {};
    return { kind: 'inline', config: new CompiledRouteConfig(asString(inline.name), inline, ctx) };
  }
  throw new XdsConfigError(where, 'HttpConnectionManager needs rds or route_config (scoped routes are not supported)');
}
