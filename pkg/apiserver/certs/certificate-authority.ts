import * as x509 from './x509.ts';
import type { CryptoKey } from './keys.ts';
import { generateKeyPair, importPrivateKeyPem, privateKeyToPem, signingAlgorithmFor, webCrypto } from './keys.ts';
import { randomSerialNumber, subjectName, validityWindow } from './certificate.ts';
import { PkiError } from './errors.ts';

/** A CA able to sign certificates: its parsed certificate, its signing key and both as PEM. */
export interface CertificateAuthority {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  certPem: string;
  keyPem: string;
}

export interface CreateCertificateAuthorityOptions {
  /** Defaults to `kuscia-ca@<unix seconds>`, the naming K3s uses so a regenerated CA is recognisable. */
  commonName?: string;
  validityDays?: number;
}

export async function createCertificateAuthority(opts: CreateCertificateAuthorityOptions = {}): Promise<CertificateAuthority> {
  const keys = await generateKeyPair();
  const name = subjectName(opts.commonName ?? `kuscia-ca@${Math.floor(Date.now() / 1000)}`);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name,
      ...validityWindow(opts.validityDays ?? 3650),
      keys,
      signingAlgorithm: signingAlgorithmFor(keys.privateKey),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webCrypto),
      ],
    },
    webCrypto,
  );
  return {
    certificate,
    privateKey: keys.privateKey,
    certPem: certificate.toString('pem') + '\n',
    keyPem: await privateKeyToPem(keys.privateKey),
  };
}

/** Loads a CA from PEM and checks that the key belongs to the certificate and that it may sign. */
export async function loadCertificateAuthority(certPem: string, keyPem: string, paths: { cert?: string; key?: string } = {}): Promise<CertificateAuthority> {
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(certPem);
  } catch (err) {
    throw new PkiError(`cannot parse CA certificate (${(err as Error).message})`, paths.cert);
  }
  const basic = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!basic?.ca) throw new PkiError('certificate is not a CA (basicConstraints CA:FALSE)', paths.cert);
  const privateKey = importPrivateKeyPem(keyPem, paths.key);
  if (!(await keyMatchesCertificate(privateKey, certificate))) {
    throw new PkiError('CA private key does not match the CA certificate', paths.key);
  }
  return { certificate, privateKey, certPem, keyPem };
}

/** Signs a probe with the key and verifies it with the certificate's public key. */
async function keyMatchesCertificate(key: CryptoKey, cert: x509.X509Certificate): Promise<boolean> {
  const algorithm = key.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: key.algorithm.name };
  const probe = new TextEncoder().encode('kuscia-pki-probe');
  const signature = await webCrypto.subtle.sign(algorithm, key, probe);
  const publicKey = await cert.publicKey.export(key.algorithm, ['verify'], webCrypto);
  return webCrypto.subtle.verify(algorithm, publicKey, signature, probe);
}

/** True when `cert` carries a valid signature by `ca`. */
export function isSignedBy(cert: x509.X509Certificate, ca: CertificateAuthority): Promise<boolean> {
  return cert.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true }, webCrypto);
}
