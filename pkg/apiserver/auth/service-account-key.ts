import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import { PRIVATE_FILE_MODE, readOptional, writeFileAtomic } from '../certs/pki-files.ts';

/** Where the signing key lives inside the PKI directory (K3s keeps its equivalent in server/tls/service.key). */
export const SERVICE_ACCOUNT_KEY_FILE = 'service-account.key';

export type ServiceAccountSigningAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'RS256';

/** The key pair that signs and verifies service-account tokens. */
export interface ServiceAccountKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  algorithm: ServiceAccountSigningAlgorithm;
  /** JWT `kid`: base64url SHA-256 of the public key's DER, as kube-apiserver computes it. */
  keyId: string;
  path: string;
  /** True when this call created the key (for the start-up log). */
  generated: boolean;
}

export class ServiceAccountKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceAccountKeyError';
  }
}

/**
 * Loads the service-account signing key from `pkiDir`, generating an ECDSA P-256 key (0600) on
 * first start. The key is reused across restarts: replacing it would invalidate every token already
 * handed out. An operator-provided RSA or other EC key works too.
 */
export async function ensureServiceAccountKey(pkiDir: string): Promise<ServiceAccountKey> {
  const path = join(pkiDir, SERVICE_ACCOUNT_KEY_FILE);
  let pem = await readOptional(path);
  let generated = false;
  if (pem === undefined) {
    const pair = await generateKeyPair('ES256', { extractable: true });
    pem = await exportPKCS8(pair.privateKey);
    await writeFileAtomic(path, pem, PRIVATE_FILE_MODE);
    generated = true;
  }
  return { ...keyFromPem(pem, path), path, generated };
}

function keyFromPem(pem: string, path: string): Omit<ServiceAccountKey, 'path' | 'generated'> {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (e) {
    throw new ServiceAccountKeyError(`cannot parse service account key ${path}: ${(e as Error).message}`);
  }
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, algorithm: algorithmOf(privateKey, path), keyId: createHash('sha256').update(der).digest('base64url') };
}

function algorithmOf(key: KeyObject, path: string): ServiceAccountSigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ES256';
    if (curve === 'secp384r1') return 'ES384';
    if (curve === 'secp521r1') return 'ES512';
  }
  throw new ServiceAccountKeyError(`unsupported service account key type in ${path}: ${key.asymmetricKeyType}`);
}
