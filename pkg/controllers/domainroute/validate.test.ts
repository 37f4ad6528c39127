import { describe, expect, it } from 'vitest';
import type { DomainRouteSpec } from '../../crd/index.ts';
import { isStdBase64, routeNeedsToken, routeSpecProblem } from './validate.ts';

const spec = (extra: Partial<DomainRouteSpec>): DomainRouteSpec => ({ source: 'alice', destination: 'bob', authenticationType: 'Token', tokenConfig: { tokenGenMethod: 'RSA-GEN' }, ...extra });

describe('routeSpecProblem (Kuscia DoValidate)', () => {
  it('accepts the usual routes', () => {
    expect(routeSpecProblem(spec({}))).toBeUndefined();
    expect(routeSpecProblem(spec({ authenticationType: 'None', tokenConfig: undefined }))).toBeUndefined();
    expect(routeSpecProblem(spec({ authenticationType: 'MTLS', tokenConfig: undefined, mTLSConfig: { sourceClientCert: 'Y2VydA==' } }))).toBeUndefined();
  });

  it.each<[string, Partial<DomainRouteSpec>, string]>([
    ['no destination', { destination: '' }, 'source or destination is null'],
    ['Token without tokenConfig', { tokenConfig: undefined }, 'field TokenConfig is null'],
    ['body encryption without tokenConfig', { authenticationType: 'None', tokenConfig: undefined, bodyEncryption: { algorithm: 'AES' } }, 'field TokenConfig is null'],
    ['MTLS without mTLSConfig', { authenticationType: 'MTLS' }, 'field MTLSConfig is null'],
    ['MTLS without client cert', { authenticationType: 'MTLS', mTLSConfig: {} }, 'field SourceClientCert is null'],
    ['MTLS cert not base64', { authenticationType: 'MTLS', mTLSConfig: { sourceClientCert: 'not base64' } }, 'field SourceClientCert is format error, must be base64 encoded'],
    ['MTLS CA not base64', { authenticationType: 'MTLS', mTLSConfig: { sourceClientCert: 'Y2VydA==', tlsCA: '%%' } }, 'field TLSCA is format error, must be base64 encoded'],
    ['unknown type', { authenticationType: 'Password' as never }, 'unsupport type Password'],
    ['public key not base64', { tokenConfig: { tokenGenMethod: 'RSA-GEN', sourcePublicKey: 'a b' } }, 'sourcePublicKey is format err, must be base64 encoded'],
  ])('%s', (_name, extra, message) => {
    expect(routeSpecProblem(spec(extra))).toBe(message);
  });

  it('knows which routes need a handshake token', () => {
    expect(routeNeedsToken(spec({}))).toBe(true);
    expect(routeNeedsToken(spec({ authenticationType: 'None' }))).toBe(false);
    expect(routeNeedsToken(spec({ authenticationType: 'MTLS', bodyEncryption: { algorithm: 'SM4' } }))).toBe(true);
  });

  it('reads base64 as Go does', () => {
    expect(isStdBase64('')).toBe(true);
    expect(isStdBase64('YWJj\nZA==')).toBe(true);
    expect(isStdBase64('YWJjZA')).toBe(false);
    expect(isStdBase64('YW-j')).toBe(false);
  });
});
