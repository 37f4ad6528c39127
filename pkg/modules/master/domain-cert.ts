import { createPrivateKey, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import * as x509 from '../../apiserver/certs/x509.ts';
import { randomSerialNumber, subjectName, validityWindow } from '../../apiserver/certs/certificate.ts';
import { importPrivateKeyPem, webCrypto } from '../../apiserver/certs/keys.ts';
import { ensurePrivateDir, PUBLIC_FILE_MODE, readOptional, writeFileAtomic } from '../../apiserver/certs/pki-files.ts';

/**
 * The domain certificate Kuscia publishes in `Domain.spec.cert`: self-signed with the domain key
 * (`domainKeyData`, which Kuscia also uses as its CA key), CN = domainID, 10 years. Peers take the
 * domain's public key from it (RSA-GEN token handshakes). Kept in `<dir>/domain.crt` and re-issued
 * only when it no longer matches the key or the domain.
 */
export async function ensureDomainCert(dir: string, domainID: string, domainKeyPem: string): Promise<string> {
  await ensurePrivateDir(dir);
  const path = join(dir, 'domain.crt');
  const existing = await readOptional(path);
  if (existing !== undefined && fits(existing, domainID, domainKeyPem)) return existing;
  const privateKey = importPrivateKeyPem(domainKeyPem);
  const publicKey = await createPublicKey(createPrivateKey(domainKeyPem)).toCryptoKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name: subjectName(domainID),
      ...validityWindow(3650),
      keys: { privateKey, publicKey },
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      ],
    },
    webCrypto,
  );
  const pem = cert.toString('pem') + '\n';
  await writeFileAtomic(path, pem, PUBLIC_FILE_MODE);
  return pem;
}

function fits(certPem: string, domainID: string, keyPem: string): boolean {
  try {
    const cert = new x509.X509Certificate(certPem);
    const spki = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    return cert.subject === `CN=${domainID}` && spki.equals(Buffer.from(cert.publicKey.rawData)) && cert.notAfter.getTime() > Date.now();
  } catch {
    return false;
  }
}
