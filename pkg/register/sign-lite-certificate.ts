import * as x509 from '../apiserver/certs/x509.ts';
import type { CertificateAuthority } from '../apiserver/certs/certificate-authority.ts';
import { randomSerialNumber, subjectName, validityWindow } from '../apiserver/certs/certificate.ts';
import { signingAlgorithmFor, webCrypto } from '../apiserver/certs/keys.ts';
import { LITE_GROUP, liteUserName } from './lite-identity.ts';

/** A lite keeps its credential across restarts; a year, like the API server's other client certificates. */
const LITE_CERT_DAYS = 365;

/**
 * A client certificate for the lite's own public key (it never sends its private key), signed by the
 * API server's CA: CN = kuscia:lite:<domain>, O = kuscia:lites, clientAuth only.
 */
export async function signLiteCertificate(ca: CertificateAuthority, domainID: string, publicKeyPem: string): Promise<string> {
  const publicKey = new x509.PublicKey(publicKeyPem);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject: subjectName(liteUserName(domainID), [LITE_GROUP]),
      issuer: ca.certificate.subjectName,
      ...validityWindow(LITE_CERT_DAYS),
      publicKey,
      signingKey: ca.privateKey,
      signingAlgorithm: signingAlgorithmFor(ca.privateKey),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
        await x509.AuthorityKeyIdentifierExtension.create(ca.certificate, false, webCrypto),
      ],
    },
    webCrypto,
  );
  return cert.toString('pem') + '\n';
}
