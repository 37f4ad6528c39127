/** Test fixtures: a Domain certificate as Kuscia stores it in Domain.spec.cert (base64 of PEM). */
import { createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '../../../apiserver/certs/x509.ts';

export interface DomainCert {
  /** base64(PEM certificate), the value of Domain.spec.cert. */
  certBase64: string;
  /** The certificate's public key. */
  publicKey: KeyObject;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** A self-signed certificate for `domain` with a fresh RSA key (or an EC key, which the handshake cannot use). */
export async function makeDomainCert(domain: string, keyType: 'rsa' | 'ec' = 'rsa'): Promise<DomainCert> {
  const alg = keyType === 'rsa' ? RSA : EC;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    { serialNumber: '01', name: `CN=${domain}`, notBefore: new Date(now - 60_000), notAfter: new Date(now + 365 * 86_400_000), keys, signingAlgorithm: alg },
    webcrypto,
  );
  const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
  return { certBase64: Buffer.from(cert.toString('pem')).toString('base64'), publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }) };
}

/** The key in a `tokenConfig.*PublicKey` value: base64 of a PKCS#1 "RSA PUBLIC KEY" PEM block. */
export function keyOfKusciaPublicKey(value: string): { pemLabel: string | undefined; key: KeyObject } {
  const pem = Buffer.from(value, 'base64').toString('latin1');
  return { pemLabel: /-----BEGIN ([A-Z ]+)-----/.exec(pem)?.[1], key: createPublicKey({ key: pem, format: 'pem' }) };
}
