import * as x509 from '../apiserver/certs/x509.ts';
import type { CertificateAuthority } from '../apiserver/certs/certificate-authority.ts';
import { signLeafCertificate, subjectName } from '../apiserver/certs/certificate.ts';
import { LITE_GROUP, liteUserName } from './lite-identity.ts';

/** A lite keeps its credential across restarts; a year, like the API server's other client certificates. */
const LITE_CERT_DAYS = 365;

/**
 * A client certificate for the lite's own public key (it never sends its private key), signed by the
 * API server's CA: CN = kuscia:lite:<domain>, O = kuscia:lites, clientAuth only.
 */
export function signLiteCertificate(ca: CertificateAuthority, domainID: string, publicKeyPem: string): Promise<string> {
  return signLeafCertificate(
    ca,
    { subject: subjectName(liteUserName(domainID), [LITE_GROUP]), extendedKeyUsages: [x509.ExtendedKeyUsage.clientAuth], validityDays: LITE_CERT_DAYS },
    new x509.PublicKey(publicKeyPem),
  );
}
