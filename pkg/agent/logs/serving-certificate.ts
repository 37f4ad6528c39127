import { createCertificateAuthority, issueServingCertificate, type CertificatePair } from '../../apiserver/certs/index.ts';

/**
 * A serving certificate for an agent that was given none: signed by a throw-away CA, as a kubelet
 * without --tls-cert-file self-signs. The API server does not verify agents' serving certificates
 * (kube-apiserver without --kubelet-certificate-authority), the client certificate is what is checked.
 */
export async function selfSignedServingCertificate(address: string): Promise<CertificatePair> {
  const ca = await createCertificateAuthority({ commonName: `kuscia-agent-ca@${Math.floor(Date.now() / 1000)}`, validityDays: 365 });
  const sans = [...new Set([address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address, 'localhost'])];
  return issueServingCertificate(ca, { commonName: 'kuscia-agent', sans });
}
