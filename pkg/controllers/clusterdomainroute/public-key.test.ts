import { describe, expect, it } from 'vitest';
import { DomainCertError, rsaPublicKeyFromCert } from './public-key.ts';
import { keyOfKusciaPublicKey, makeDomainCert } from './testing/domain-cert.ts';

describe('rsaPublicKeyFromCert', () => {
  it('turns a Domain certificate into the base64 PKCS#1 PEM Kuscia puts in tokenConfig', async () => {
    const cert = await makeDomainCert('alice');
    const value = rsaPublicKeyFromCert(cert.certBase64);
    const { pemLabel, key } = keyOfKusciaPublicKey(value);
    expect(pemLabel).toBe('RSA PUBLIC KEY');
    expect(key.equals(cert.publicKey)).toBe(true);
    // Go's pem.EncodeToMemory: 64-character lines and a final newline, hashed byte for byte by the handshake.
    const pem = Buffer.from(value, 'base64').toString();
    expect(pem.endsWith('-----END RSA PUBLIC KEY-----\n')).toBe(true);
    expect(pem.split('\n').slice(1, -3).every((line) => line.length === 64)).toBe(true);
  });

  it('refuses what is not base64 of a PEM RSA certificate', async () => {
    expect(() => rsaPublicKeyFromCert('not base64!')).toThrow(DomainCertError);
    expect(() => rsaPublicKeyFromCert(Buffer.from('hello').toString('base64'))).toThrow('pem Decode fail');
    expect(() => rsaPublicKeyFromCert(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64'))).toThrow(DomainCertError);
    const ec = await makeDomainCert('bob', 'ec');
    expect(() => rsaPublicKeyFromCert(ec.certBase64)).toThrow(/ec key, the handshake needs RSA/);
  });
});
