import type { PeerCertificate, SecureVersion } from 'node:tls';
import type { CompileContext } from './compile-context.ts';
import { XdsConfigError } from './config-error.ts';
import { anyType, asList, asMsg, asString, asStrings, dataSourceText, type Msg } from './proto-values.ts';
import { compileStringMatcher, type StringPredicate } from './string-matcher.ts';

export const TLS_TRANSPORT_SOCKET = 'envoy.transport_sockets.tls';
const UPSTREAM_TLS_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
const DOWNSTREAM_TLS_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';

/** Node TLS options common to both directions. */
export interface TlsSettings {
  cert?: string;
  key?: string;
  /** Trusted CA bundle; without it the peer's certificate is not verified (Envoy's behaviour). */
  ca?: string;
  alpn: string[];
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** Subject alternative name matchers; empty = any name (Envoy checks names only when configured). */
  sanMatchers: Array<(cert: PeerCertificate) => boolean>;
  /** `trust_chain_verification: ACCEPT_UNTRUSTED`. */
  acceptUntrusted: boolean;
}

export interface UpstreamTlsSettings extends TlsSettings {
  sni?: string;
}

export interface DownstreamTlsSettings extends TlsSettings {
  requireClientCertificate: boolean;
}

/** `transport_socket` of a cluster: only the TLS socket (raw_buffer is the same as none). */
export function compileUpstreamTransportSocket(socket: Msg, where: string, ctx: CompileContext): UpstreamTlsSettings | undefined {
  const config = transportSocketConfig(socket, UPSTREAM_TLS_TYPE, where, ctx);
  if (!config) return undefined;
  ctx.checkFields(config, 'UpstreamTlsContext', where, ['commonTlsContext', 'sni'], ['allowRenegotiation', 'maxSessionKeys', 'enforceRsaKeyUsage']);
  return { ...compileCommon(asMsg(config.commonTlsContext) ?? {}, `${where}.commonTlsContext`, ctx), sni: asString(config.sni) || undefined };
}

/** `transport_socket` of a listener's filter chain. */
export function compileDownstreamTransportSocket(socket: Msg, where: string, ctx: CompileContext): DownstreamTlsSettings | undefined {
  const config = transportSocketConfig(socket, DOWNSTREAM_TLS_TYPE, where, ctx);
  if (!config) return undefined;
  ctx.checkFields(config, 'DownstreamTlsContext', where, ['commonTlsContext', 'requireClientCertificate'], [
    'sessionTicketKeys', 'disableStatelessSessionResumption', 'disableStatefulSessionResumption', 'sessionTimeout', 'ocspStaplePolicy',
  ]);
  const common = compileCommon(asMsg(config.commonTlsContext) ?? {}, `${where}.commonTlsContext`, ctx);
  if (!common.cert || !common.key) throw new XdsConfigError(where, 'a downstream TLS context needs a certificate and its key');
  return { ...common, requireClientCertificate: asMsg(config.requireClientCertificate)?.value === true };
}

function transportSocketConfig(socket: Msg, expectedType: string, where: string, ctx: CompileContext): Msg | undefined {
  ctx.checkFields(socket, 'TransportSocket', where, ['name', 'typedConfig']);
  const config = asMsg(socket.typedConfig);
  const type = anyType(config);
  if (type === 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer') return undefined;
  if (type !== expectedType) throw new XdsConfigError(where, `transport socket ${asString(socket.name)} (${type || 'no typed_config'}) is not supported`);
  return config;
}

const VERSIONS: Record<string, SecureVersion | undefined> = { TLSv1_0: 'TLSv1', TLSv1_1: 'TLSv1.1', TLSv1_2: 'TLSv1.2', TLSv1_3: 'TLSv1.3', TLS_AUTO: undefined };

function compileCommon(common: Msg, where: string, ctx: CompileContext): TlsSettings {
  ctx.checkFields(common, 'CommonTlsContext', where, ['tlsParams', 'tlsCertificates', 'validationContext', 'alpnProtocols'], ['keyLog']);
  const params = asMsg(common.tlsParams) ?? {};
  ctx.checkFields(params, 'TlsParameters', `${where}.tlsParams`, ['tlsMinimumProtocolVersion', 'tlsMaximumProtocolVersion'], ['cipherSuites', 'ecdhCurves', 'signatureAlgorithms']);
  const certs = asList(common.tlsCertificates);
  if (certs.length > 1) throw new XdsConfigError(where, 'more than one TLS certificate is not supported');
  const cert = certs[0];
  if (cert) ctx.checkFields(cert, 'TlsCertificate', `${where}.tlsCertificates[0]`, ['certificateChain', 'privateKey']);
  const validation = asMsg(common.validationContext) ?? {};
  ctx.checkFields(validation, 'CertificateValidationContext', `${where}.validationContext`, [
    'trustedCa', 'matchTypedSubjectAltNames', 'matchSubjectAltNames', 'trustChainVerification',
  ]);
  return {
    cert: cert ? dataSourceText(cert.certificateChain, `${where}.tlsCertificates[0].certificateChain`) : undefined,
    key: cert ? dataSourceText(cert.privateKey, `${where}.tlsCertificates[0].privateKey`) : undefined,
    ca: validation.trustedCa ? dataSourceText(validation.trustedCa, `${where}.validationContext.trustedCa`) : undefined,
    alpn: asStrings(common.alpnProtocols),
    minVersion: VERSIONS[asString(params.tlsMinimumProtocolVersion, 'TLS_AUTO')],
    maxVersion: VERSIONS[asString(params.tlsMaximumProtocolVersion, 'TLS_AUTO')],
    sanMatchers: sanMatchers(validation, `${where}.validationContext`, ctx),
    acceptUntrusted: validation.trustChainVerification === 'ACCEPT_UNTRUSTED',
  };
}

const SAN_PREFIX: Record<string, string> = { DNS: 'DNS', URI: 'URI', EMAIL: 'email', IP_ADDRESS: 'IP Address' };

function sanMatchers(validation: Msg, where: string, ctx: CompileContext): Array<(cert: PeerCertificate) => boolean> {
  const typed = asList(validation.matchTypedSubjectAltNames).map((m, i) => {
    const prefix = SAN_PREFIX[asString(m.sanType)];
    if (!prefix) throw new XdsConfigError(`${where}.matchTypedSubjectAltNames[${i}]`, `SAN type ${String(m.sanType)} is not supported`);
    const test = compileStringMatcher(asMsg(m.matcher) ?? {}, `${where}.matchTypedSubjectAltNames[${i}]`, ctx);
    return (cert: PeerCertificate) => sansOf(cert).some(([type, value]) => type === prefix && test(value));
  });
  const untyped = asList(validation.matchSubjectAltNames).map((m, i) => {
    const test: StringPredicate = compileStringMatcher(m, `${where}.matchSubjectAltNames[${i}]`, ctx);
    return (cert: PeerCertificate) => sansOf(cert).some(([, value]) => test(value));
  });
  return [...typed, ...untyped];
}

/** `subjectaltname` is "DNS:a.example, IP Address:10.0.0.1, URI:spiffe://..." */
function sansOf(cert: PeerCertificate): Array<[string, string]> {
  return (cert.subjectaltname ?? '')
    .split(', ')
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      return [entry.slice(0, colon), entry.slice(colon + 1)] as [string, string];
    });
}
