import * as x509 from './x509.ts';
import { join } from 'node:path';
import { createCertificateAuthority, isSignedBy, loadCertificateAuthority, type CertificateAuthority } from './certificate-authority.ts';
import {
  DAY_MS,
  issueClientCertificate,
  issueServingCertificate,
  subjectAltNamesOf,
  type CertificatePair,
} from './certificate.ts';
import { PkiError } from './errors.ts';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { ensurePrivateDir, PRIVATE_FILE_MODE, PUBLIC_FILE_MODE, readOptional, writeFileAtomic } from './pki-files.ts';
import { servingSans, type ServingSanOptions } from './serving-sans.ts';

export const PKI_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  servingCert: 'apiserver.crt',
  servingKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  kubeletClientCert: 'apiserver-kubelet-client.crt',
  kubeletClientKey: 'apiserver-kubelet-client.key',
} as const;

/** Identity of the bootstrap admin: K3s' admin certificate uses exactly this subject. */
export const ADMIN_IDENTITY = { commonName: 'admin', organizations: ['system:masters'] };

/**
 * The identity the API server presents to node agents when it proxies `pods/log`: kubeadm's
 * `apiserver-kubelet-client` subject. Agents trust it because the CA signed it.
 */
export const KUBELET_CLIENT_IDENTITY = { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] };

/** Leaf certificates are renewed at start-up once they get this close to expiry (K3s uses 90 days). */
const RENEW_BEFORE_MS = 90 * DAY_MS;

export type EnsurePkiOptions = ServingSanOptions;

export interface Pki {
  dir: string;
  ca: CertificatePair;
  serving: CertificatePair & { sans: string[] };
  admin: CertificatePair;
  /** Client certificate for the API server's calls to node agents (kubectl logs). */
  kubeletClient: CertificatePair;
  /** The CA with its signing key, for issuing more client certificates (agents, users). */
  authority: CertificateAuthority;
  /** What this call generated and why, for the start-up log. Empty when everything was reused. */
  generated: string[];
}

/**
 * Makes `dir` hold a usable PKI and returns it: a CA (10 years), the API server's serving
 * certificate (1 year, serverAuth, SANs from `opts`) and the bootstrap admin client certificate
 * (1 year, clientAuth, CN=admin O=system:masters). Existing files are reused; a leaf certificate is
 * re-issued when missing, not signed by the CA, close to expiry or (serving) covering other SANs.
 * A CA is only ever created when neither its certificate nor its key exists.
 */
export async function ensurePki(dir: string, opts: EnsurePkiOptions): Promise<Pki> {
  await ensurePrivateDir(dir);
  const path = (name: keyof typeof PKI_FILES) => join(dir, PKI_FILES[name]);
  const generated: string[] = [];

  const authority = await ensureCertificateAuthority(path('caCert'), path('caKey'), generated);
  const sans = servingSans(opts);

  const serving = await ensureLeaf({
    certPath: path('servingCert'),
    keyPath: path('servingKey'),
    authority,
    label: 'serving certificate',
    generated,
    staleReason: (cert) => (sameSet(subjectAltNamesOf(cert), sans) ? undefined : 'SANs changed'),
    issue: () => issueServingCertificate(authority, { sans }),
  });
  const admin = await ensureLeaf({
    certPath: path('adminCert'),
    keyPath: path('adminKey'),
    authority,
    label: 'admin client certificate',
    generated,
    staleReason: (cert) => (cert.subject === expectedSubject(ADMIN_IDENTITY) ? undefined : 'subject changed'),
    issue: () => issueClientCertificate(authority, ADMIN_IDENTITY),
  });
  const kubeletClient = await ensureLeaf({
    certPath: path('kubeletClientCert'),
    keyPath: path('kubeletClientKey'),
    authority,
    label: 'kubelet client certificate',
    generated,
    staleReason: (cert) => (cert.subject === expectedSubject(KUBELET_CLIENT_IDENTITY) ? undefined : 'subject changed'),
    issue: () => issueClientCertificate(authority, KUBELET_CLIENT_IDENTITY),
  });

  return {
    dir,
    ca: { certPem: authority.certPem, keyPem: authority.keyPem },
    serving: { ...serving, sans },
    admin,
    kubeletClient,
    authority,
    generated,
  };
}

async function ensureCertificateAuthority(certPath: string, keyPath: string, generated: string[]): Promise<CertificateAuthority> {
  const [certPem, keyPem] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
  if (certPem !== undefined && keyPem !== undefined) {
    return loadCertificateAuthority(certPem, keyPem, { cert: certPath, key: keyPath });
  }
  if (certPem !== undefined || keyPem !== undefined) {
    // Half a CA: regenerating would silently invalidate every issued kubeconfig.
    throw new PkiError('CA certificate and key must both exist or both be absent', certPem ? keyPath : certPath);
  }
  const authority = await createCertificateAuthority();
  await writeFileAtomic(keyPath, authority.keyPem, PRIVATE_FILE_MODE);
  await writeFileAtomic(certPath, authority.certPem, PUBLIC_FILE_MODE);
  generated.push('CA: none found');
  return authority;
}

interface LeafSpec {
  certPath: string;
  keyPath: string;
  authority: CertificateAuthority;
  label: string;
  generated: string[];
  /** Kind-specific reason to re-issue, or undefined when the certificate still fits. */
  staleReason(cert: x509.X509Certificate): string | undefined;
  issue(): Promise<CertificatePair>;
}

async function ensureLeaf(spec: LeafSpec): Promise<CertificatePair> {
  const [certPem, keyPem] = await Promise.all([readOptional(spec.certPath), readOptional(spec.keyPath)]);
  const reason = await reasonToReissue(certPem, keyPem, spec);
  if (reason === undefined) return { certPem: certPem!, keyPem: keyPem! };

  const pair = await spec.issue();
  await writeFileAtomic(spec.keyPath, pair.keyPem, PRIVATE_FILE_MODE);
  await writeFileAtomic(spec.certPath, pair.certPem, PUBLIC_FILE_MODE);
  spec.generated.push(`${spec.label}: ${reason}`);
  return pair;
}

async function reasonToReissue(certPem: string | undefined, keyPem: string | undefined, spec: LeafSpec): Promise<string | undefined> {
  if (certPem === undefined || keyPem === undefined) return 'none found';
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(certPem);
    if (!keyMatchesPublicKey(keyPem, cert)) return 'key does not match certificate';
  } catch {
    return 'unreadable';
  }
  if (spec.authority.certificate.subject !== cert.issuer || !(await isSignedBy(cert, spec.authority))) {
    return 'not signed by the current CA';
  }
  if (cert.notAfter.getTime() - Date.now() < RENEW_BEFORE_MS) return 'expires within 90 days';
  return spec.staleReason(cert);
}

function keyMatchesPublicKey(keyPem: string, cert: x509.X509Certificate): boolean {
  const spki = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
  return spki.equals(Buffer.from(cert.publicKey.rawData));
}

function expectedSubject(id: { commonName: string; organizations: string[] }): string {
  return [...id.organizations.map((o) => `O=${o}`), `CN=${id.commonName}`].join(', ');
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}
