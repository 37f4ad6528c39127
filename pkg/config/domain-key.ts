import { createPrivateKey } from 'node:crypto';

/**
 * kuscia.yaml's `domainKeyData`: a PEM RSA private key, base64-encoded (Kuscia's
 * generate_rsa_key.sh output). Returns the PEM, or the reason it is not usable.
 */
export function decodeDomainKey(data: string): { pem: string } | { problem: string } {
  const compact = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return { problem: 'is not base64 (expected a base64-encoded PEM RSA private key)' };
  const pem = Buffer.from(compact, 'base64').toString('utf8');
  let key;
  try {
    key = createPrivateKey(pem);
  } catch {
    return { problem: 'does not decode to a PEM private key' };
  }
  if (key.asymmetricKeyType !== 'rsa') return { problem: `must be an RSA key, not ${key.asymmetricKeyType ?? 'unknown'}` };
  return { pem };
}

/** The inverse: what `kuscia init` writes into domainKeyData. */
export function encodeDomainKey(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}
