/**
 * The RSA-GEN token cryptography, byte-compatible with Kuscia (pkg/utils/tls/crypt.go and the
 * gateway's handshake.go):
 *
 * - A token is 32 random bytes: the source's 16 ‖ the destination's 16 (UID-RSA-GEN: all 32 from
 *   the destination). Envoy carries base64(token) as `Kuscia-Token`.
 * - Every encrypted token is base64(RSA-PKCS#1-v1.5("kuscia" ‖ bytes)). The prefix is how a
 *   decryption with the wrong key is recognised: Go decrypts with DecryptPKCS1v15SessionKey, which
 *   never reports a padding error (Bleichenbacher) but yields random bytes of the expected length
 *   instead, so the known prefix is what tells a real plaintext from a failure.
 * - Public keys travel as base64 of a PEM "RSA PUBLIC KEY" (PKCS#1) block — Gateway.status.publicKey
 *   and DomainRoute tokenConfig.{source,destination}PublicKey.
 * - pubhash = base64(sha256(the PEM bytes)), i.e. of the base64-decoded public key string.
 *
 * Node ≥ 20.11 refuses RSA_PKCS1_PADDING in privateDecrypt (CVE-2023-46809, the Marvin timing
 * attack) unless OpenSSL implements implicit rejection; Node 24's bundled OpenSSL 3.5 does, so
 * decryption of a bad ciphertext returns a deterministic pseudo-random plaintext instead of an error
 * — the same contract as Go's session-key mode, and the prefix and length checks below do the rest.
 * Run against an OpenSSL without implicit rejection, decryption throws (TokenDecryptError), never
 * falls back to the vulnerable behaviour.
 */
import { constants, createHash, createPublicKey, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

export const TOKEN_PREFIX = Buffer.from('kuscia');
/** Bytes of a whole token. */
export const TOKEN_SIZE = 32;
/** Bytes each side contributes in RSA-GEN. */
export const TOKEN_HALF_SIZE = TOKEN_SIZE / 2;

/** The ciphertext is not a token encrypted for this key (or not a token at all). */
export class TokenDecryptError extends Error {
  override readonly name = 'TokenDecryptError';
}

/** A public key string that is not base64 of an RSA public key PEM block. */
export class InvalidPublicKeyError extends Error {
  override readonly name = 'InvalidPublicKeyError';
}

export function randomTokenBytes(size: number): Buffer {
  return randomBytes(size);
}

/** base64(RSA-PKCS#1-v1.5(publicKey, "kuscia" ‖ raw)); randomised, so never the same twice. */
export function encryptToken(publicKey: KeyObject, raw: Uint8Array): string {
  const plaintext = Buffer.concat([TOKEN_PREFIX, raw]);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, plaintext).toString('base64');
}

/** The `size` bytes inside a token encrypted for this private key; TokenDecryptError otherwise. */
export function decryptToken(privateKey: KeyObject, ciphertext: string, size: number): Buffer {
  let plaintext: Buffer;
  try {
    plaintext = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, decodeStdBase64(ciphertext));
  } catch (err) {
    throw new TokenDecryptError(`decrypt error: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Go's session-key mode requires exactly prefix+size bytes; anything else is a failure.
  if (plaintext.length !== TOKEN_PREFIX.length + size || !plaintext.subarray(0, TOKEN_PREFIX.length).equals(TOKEN_PREFIX)) {
    throw new TokenDecryptError('decrypt error, prefix not match');
  }
  return plaintext.subarray(TOKEN_PREFIX.length);
}

/** pubhash of a public key string as Kuscia writes it (base64 of PEM): base64(sha256(PEM bytes)). */
export function publicKeyHash(kusciaPublicKey: string): string {
  return createHash('sha256').update(decodeStdBase64(kusciaPublicKey)).digest('base64');
}

/** The key of a base64 PEM "RSA PUBLIC KEY" (PKCS#1) or "PUBLIC KEY" (PKIX, RSA only) string. */
export function parseKusciaPublicKey(kusciaPublicKey: string): KeyObject {
  let pem: string;
  try {
    pem = decodeStdBase64(kusciaPublicKey).toString('latin1');
  } catch (err) {
    throw new InvalidPublicKeyError(`public key must be base64 encoded: ${(err as Error).message}`);
  }
  if (pem.length === 0) throw new InvalidPublicKeyError('public key is empty');
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  if (label === undefined) throw new InvalidPublicKeyError('public key should be PEM block format');
  if (label !== 'RSA PUBLIC KEY' && label !== 'PUBLIC KEY') throw new InvalidPublicKeyError(`public key type [${label}] not supported, must be RSA`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new InvalidPublicKeyError((err as Error).message);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new InvalidPublicKeyError('invalid PKCS8 public key');
  return key;
}

/**
 * A key's public half as Kuscia writes it into Gateway.status.publicKey and DomainRoute tokenConfig:
 * base64 of the PKCS#1 PEM (64-column lines, trailing newline — the same bytes as Go's
 * pem.EncodeToMemory, which pubhash depends on). Accepts a private or public KeyObject, or PEM text
 * of a key or an X.509 certificate (the CDR controller derives peers' keys from Domain.spec.cert).
 */
export function kusciaPublicKeyOf(key: KeyObject | string): string {
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key.type === 'public' ? key : createPublicKey(key);
  return Buffer.from(publicKey.export({ type: 'pkcs1', format: 'pem' })).toString('base64');
}

/** The `Kuscia-Token` header value of a raw token. */
export function kusciaTokenHeaderValue(raw: Uint8Array): string {
  return Buffer.from(raw).toString('base64');
}

/**
 * Base64 as Go's StdEncoding.DecodeString reads it: CR and LF ignored, padding required, any other
 * character an error (Buffer.from would silently skip it).
 */
export function decodeStdBase64(s: string): Buffer {
  const compact = s.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new Error('illegal base64 data');
  return Buffer.from(compact, 'base64');
}
