import { createPrivateKey, webcrypto } from 'node:crypto';

export type CryptoKey = webcrypto.CryptoKey;
export type SigningAlgorithm = webcrypto.Algorithm | webcrypto.EcdsaParams;
import { PkiError } from './errors.ts';

/**
 * Key handling for the PKI: ECDSA P-256 for everything we generate (small, fast, accepted by Go's
 * crypto/tls and Node's tls), while keys loaded from disk may also be RSA or other EC curves so an
 * operator-provided CA still works.
 */
export const webCrypto: webcrypto.Crypto = webcrypto;

const generationAlgorithm: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

export interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function generateKeyPair(): Promise<KeyPair> {
  const pair = await webCrypto.subtle.generateKey(generationAlgorithm, true, ['sign', 'verify']);
  return pair as KeyPair;
}

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webCrypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/** The signature algorithm a key signs certificates with (SHA-256 in every case, like Kubernetes). */
export function signingAlgorithmFor(key: CryptoKey): SigningAlgorithm {
  return key.algorithm.name === 'ECDSA'
    ? { name: 'ECDSA', hash: 'SHA-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

/**
 * Loads a PEM private key (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY") as a signing
 * CryptoKey. Node's KeyObject parses all three encodings; webcrypto alone only takes PKCS#8.
 */
export function importPrivateKeyPem(pem: string, path?: string): CryptoKey {
  let keyObject;
  try {
    keyObject = createPrivateKey(pem);
  } catch (err) {
    throw new PkiError(`cannot parse private key (${(err as Error).message})`, path);
  }
  const details = keyObject.asymmetricKeyDetails ?? {};
  if (keyObject.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[details.namedCurve ?? ''];
    if (!curve) throw new PkiError(`unsupported EC curve ${details.namedCurve}`, path);
    return keyObject.toCryptoKey({ name: 'ECDSA', namedCurve: curve }, true, ['sign']);
  }
  if (keyObject.asymmetricKeyType === 'rsa') {
    return keyObject.toCryptoKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
  }
  throw new PkiError(`unsupported private key type ${keyObject.asymmetricKeyType}`, path);
}
