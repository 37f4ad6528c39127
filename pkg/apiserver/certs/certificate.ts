import * as x509 from './x509.ts';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { generateKeyPair, privateKeyToPem, signingAlgorithmFor, webCrypto, type CryptoKey } from './keys.ts';
import type { CertificateAuthority } from './certificate-authority.ts';

/** A certificate and its private key, both PEM. */
export interface CertificatePair {
  certPem: string;
  keyPem: string;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdating absorbs small clock differences between the server and its clients. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Positive 128-bit serial (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export function validityWindow(days: number, now = new Date()): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - CLOCK_SKEW_MS), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

/** Subject as a structured name so commas or slashes in a value never need escaping. */
export function subjectName(commonName: string, organizations: string[] = []): x509.JsonName {
  const name: x509.JsonName = organizations.map((o) => ({ O: [o] }));
  name.push({ CN: [commonName] });
  return name;
}

/** Splits SAN strings into IP and DNS entries the way Kubernetes' cert utilities do. */
export function toGeneralNames(sans: string[]): x509.JsonGeneralName[] {
  return sans.map((value) => ({ type: isIP(value) ? 'ip' : 'dns', value }) as x509.JsonGeneralName);
}

export interface LeafCertificateRequest {
  subject: x509.JsonName;
  extendedKeyUsages: x509.ExtendedKeyUsage[];
  sans?: string[];
  validityDays: number;
}

/** Issues an end-entity certificate with a fresh key, signed by `ca`. */
export async function issueLeafCertificate(ca: CertificateAuthority, req: LeafCertificateRequest): Promise<CertificatePair> {
  const keys = await generateKeyPair();
  return { certPem: await signLeafCertificate(ca, req, keys.publicKey), keyPem: await privateKeyToPem(keys.privateKey) };
}

/**
 * The end-entity certificate (PEM) for a public key someone else holds the private half of — a
 * lite registering with its domain key — or for a key issueLeafCertificate just generated.
 */
export async function signLeafCertificate(ca: CertificateAuthority, req: LeafCertificateRequest, publicKey: CryptoKey | x509.PublicKey): Promise<string> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(req.extendedKeyUsages, false),
    await x509.AuthorityKeyIdentifierExtension.create(ca.certificate, false, webCrypto),
  ];
  if (req.sans && req.sans.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(toGeneralNames(req.sans), false));
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject: req.subject,
      issuer: ca.certificate.subjectName,
      ...validityWindow(req.validityDays),
      publicKey,
      signingKey: ca.privateKey,
      signingAlgorithm: signingAlgorithmFor(ca.privateKey),
      extensions,
    },
    webCrypto,
  );
  return cert.toString('pem') + '\n';
}

export interface ClientCertificateOptions {
  commonName: string;
  /** Kubernetes maps O= to groups, e.g. `system:masters` for cluster admins, `system:nodes` for agents. */
  organizations?: string[];
  validityDays?: number;
}

/** A TLS client certificate (ExtKeyUsage clientAuth) the API server authenticates as user `commonName`. */
export function issueClientCertificate(ca: CertificateAuthority, opts: ClientCertificateOptions): Promise<CertificatePair> {
  return issueLeafCertificate(ca, {
    subject: subjectName(opts.commonName, opts.organizations),
    extendedKeyUsages: [x509.ExtendedKeyUsage.clientAuth],
    validityDays: opts.validityDays ?? 365,
  });
}

export interface ServingCertificateOptions {
  commonName?: string;
  sans: string[];
  validityDays?: number;
}

/** A TLS server certificate (ExtKeyUsage serverAuth) valid for every name in `sans`. */
export function issueServingCertificate(ca: CertificateAuthority, opts: ServingCertificateOptions): Promise<CertificatePair> {
  return issueLeafCertificate(ca, {
    subject: subjectName(opts.commonName ?? 'kuscia-apiserver'),
    extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth],
    sans: opts.sans,
    validityDays: opts.validityDays ?? 365,
  });
}

/** The DNS names and IPs a certificate is valid for, normalised for comparison. */
export function subjectAltNamesOf(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  if (!ext) return [];
  return ext.names.toJSON().filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => normaliseSan(n.value));
}

/** IPv6 text forms vary (`::1` vs `0:0:...:1`); compare them by their canonical form. */
export function normaliseSan(value: string): string {
  if (isIP(value) === 6) return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  return value.toLowerCase();
}
