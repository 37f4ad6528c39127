import { DomainAuthenticationType, type DomainRouteSpec } from '../../crd/index.ts';

/**
 * Go's base64.StdEncoding.DecodeString acceptance: the standard alphabet with padding, length a
 * multiple of 4; CR and LF anywhere are skipped.
 */
export function isStdBase64(value: string): boolean {
  const s = value.replace(/[\r\n]/g, '');
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

/**
 * Kuscia's DoValidate for a DomainRoute (and the spec a ClusterDomainRoute embeds): what is wrong,
 * with the original's messages, or undefined when the spec is usable.
 */
export function routeSpecProblem(spec: DomainRouteSpec | undefined): string | undefined {
  if (!spec?.source || !spec.destination) return 'source or destination is null';
  // Body encryption derives its key from the token.
  if (spec.bodyEncryption && !spec.tokenConfig) return 'field TokenConfig is null';
  switch (spec.authenticationType) {
    case DomainAuthenticationType.Token:
      if (!spec.tokenConfig) return 'field TokenConfig is null';
      break;
    case DomainAuthenticationType.MTLS: {
      const mtls = spec.mTLSConfig;
      if (!mtls) return 'field MTLSConfig is null';
      if (!mtls.sourceClientCert) return 'field SourceClientCert is null';
      if (!isStdBase64(mtls.sourceClientCert)) return 'field SourceClientCert is format error, must be base64 encoded';
      if (mtls.tlsCA && !isStdBase64(mtls.tlsCA)) return 'field TLSCA is format error, must be base64 encoded';
      if (mtls.sourceClientPrivateKey && !isStdBase64(mtls.sourceClientPrivateKey)) return 'field SourceClientPrivateKey is format error, must be base64 encoded';
      break;
    }
    case DomainAuthenticationType.None:
      break;
    default:
      return `unsupport type ${String(spec.authenticationType ?? '')}`;
  }
  const tc = spec.tokenConfig;
  if (tc?.sourcePublicKey && !isStdBase64(tc.sourcePublicKey)) return 'sourcePublicKey is format err, must be base64 encoded';
  if (tc?.destinationPublicKey && !isStdBase64(tc.destinationPublicKey)) return 'destinationPublicKey is format err, must be base64 encoded';
  return undefined;
}

/** The route's peers authenticate (or encrypt) with a handshake token. */
export function routeNeedsToken(spec: DomainRouteSpec | undefined): boolean {
  return spec?.authenticationType === DomainAuthenticationType.Token || !!spec?.bodyEncryption;
}
