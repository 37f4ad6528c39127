import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TOKEN_HALF_SIZE,
  TOKEN_SIZE,
  TokenDecryptError,
  decodeStdBase64,
  decryptToken,
  encryptToken,
  kusciaPublicKeyOf,
  kusciaTokenHeaderValue,
  parseKusciaPublicKey,
  publicKeyHash,
  randomTokenBytes,
} from './crypto.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'testdata', name), 'utf8');
const domainKey = createPrivateKey(fixture('domain-key.pem'));
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

describe('known answers (fixtures made with the OpenSSL CLI)', () => {
  it('decrypts an OpenSSL PKCS#1 v1.5 ciphertext of "kuscia" ‖ 00..0f to the 16 bytes', () => {
    const half = decryptToken(domainKey, fixture('token-half.enc.b64').trim(), TOKEN_HALF_SIZE);
    expect(half.toString('hex')).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it('refuses a well-padded ciphertext whose plaintext lacks the "kuscia" prefix', () => {
    expect(() => decryptToken(domainKey, fixture('no-prefix.enc.b64').trim(), TOKEN_HALF_SIZE)).toThrow(TokenDecryptError);
  });

  it('writes the public key as base64 of the PKCS#1 PEM, byte for byte what OpenSSL (and Go pem) write', () => {
    expect(kusciaPublicKeyOf(domainKey)).toBe(fixture('domain-pub.kuscia.txt').trim());
    expect(kusciaPublicKeyOf(createPublicKey(domainKey))).toBe(fixture('domain-pub.kuscia.txt').trim());
  });

  it('derives the same key string from the domain certificate (what the CDR controller starts from)', () => {
    expect(kusciaPublicKeyOf(fixture('domain-cert.pem'))).toBe(fixture('domain-pub.kuscia.txt').trim());
  });

  it('pubhash is base64(sha256(PEM bytes)) of the key string', () => {
    expect(publicKeyHash(fixture('domain-pub.kuscia.txt').trim())).toBe(fixture('domain-pub.pubhash.txt').trim());
  });
});

describe('token encryption', () => {
  it('round-trips 16 and 32 bytes, and never encrypts the same way twice', () => {
    const publicKey = parseKusciaPublicKey(kusciaPublicKeyOf(domainKey));
    for (const size of [TOKEN_HALF_SIZE, TOKEN_SIZE]) {
      const raw = randomTokenBytes(size);
      const a = encryptToken(publicKey, raw);
      const b = encryptToken(publicKey, raw);
      expect(a).not.toBe(b);
      expect(decryptToken(domainKey, a, size).equals(raw)).toBe(true);
      expect(decodeStdBase64(a)).toHaveLength(256);
    }
  });

  it('recognises a token encrypted for another key (implicit rejection gives garbage, the prefix check catches it)', () => {
    const forOther = encryptToken(createPublicKey(otherKey), randomTokenBytes(TOKEN_HALF_SIZE));
    expect(() => decryptToken(domainKey, forOther, TOKEN_HALF_SIZE)).toThrow(TokenDecryptError);
  });

  it('refuses a plaintext of another length (a 32-byte token asked for as a half)', () => {
    const whole = encryptToken(createPublicKey(domainKey), randomTokenBytes(TOKEN_SIZE));
    expect(() => decryptToken(domainKey, whole, TOKEN_HALF_SIZE)).toThrow('prefix not match');
  });

  it('refuses non-base64 and truncated ciphertexts', () => {
    expect(() => decryptToken(domainKey, 'not base64!', TOKEN_HALF_SIZE)).toThrow(TokenDecryptError);
    expect(() => decryptToken(domainKey, 'AAAA', TOKEN_HALF_SIZE)).toThrow(TokenDecryptError);
  });

  it('the Kuscia-Token header value is base64 of the raw 32 bytes', () => {
    expect(kusciaTokenHeaderValue(Buffer.alloc(32, 0xff))).toBe('/'.repeat(42) + '8=');
  });
});

describe('public key strings', () => {
  it('accepts a PKIX "PUBLIC KEY" PEM too', () => {
    const spki = Buffer.from(createPublicKey(domainKey).export({ type: 'spki', format: 'pem' })).toString('base64');
    const parsed = parseKusciaPublicKey(spki);
    expect(kusciaPublicKeyOf(parsed)).toBe(fixture('domain-pub.kuscia.txt').trim());
  });

  it('refuses what Kuscia refuses: not base64, not PEM, a private key, a non-RSA key', () => {
    expect(() => parseKusciaPublicKey('%%%')).toThrow('base64');
    expect(() => parseKusciaPublicKey(Buffer.from('hello').toString('base64'))).toThrow('PEM block format');
    expect(() => parseKusciaPublicKey(Buffer.from(fixture('domain-key.pem')).toString('base64'))).toThrow('public key type [RSA PRIVATE KEY] not supported, must be RSA');
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => parseKusciaPublicKey(Buffer.from(ec).toString('base64'))).toThrow('invalid PKCS8 public key');
  });

  it('reads base64 as Go StdEncoding does: line breaks ignored, other junk refused', () => {
    expect(decodeStdBase64('aGVs\nbG8=').toString()).toBe('hello');
    expect(() => decodeStdBase64('aGVs bG8=')).toThrow('illegal base64');
    expect(() => decodeStdBase64('aGVsbG8')).toThrow('illegal base64');
  });
});
