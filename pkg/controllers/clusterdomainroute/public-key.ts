import { X509Certificate } from 'node:crypto';
import { isStdBase64 } from '../domainroute/validate.ts';

/** Domain.spec.cert is not base64 of a PEM X.509 certificate with an RSA key. */
export class DomainCertError extends Error {
  override readonly name = 'DomainCertError';
}

/**
 * The public key a route's handshake uses, from a Domain's certificate, in the form Kuscia stores in
 * `tokenConfig.sourcePublicKey/destinationPublicKey`: base64 of a PKCS#1 "RSA PUBLIC KEY" PEM block.
 * The handshake hashes exactly these bytes (pubhash), so the encoding must be the original's.
 */
export function rsaPublicKeyFromCert(certBase64: string): string {
  if (!isStdBase64(certBase64)) throw new DomainCertError('cert must be base64 encoded');
  const pem = Buffer.from(certBase64, 'base64');
  if (!pem.toString('latin1').includes('-----BEGIN ')) throw new DomainCertError('pem Decode fail');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (err) {
    throw new DomainCertError(`cannot parse the certificate: ${(err as Error).message}`);
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa') throw new DomainCertError(`the certificate holds a ${key.asymmetricKeyType ?? 'non-RSA'} key, the handshake needs RSA`);
  return Buffer.from(key.export({ type: 'pkcs1', format: 'pem' })).toString('base64');
}
