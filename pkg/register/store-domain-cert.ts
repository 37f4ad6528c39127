import type { KubeApi } from '../kube/api-client.ts';

/**
 * Kuscia's master keeps a registered lite's certificate in its Domain's `spec.cert` (base64 PEM):
 * the ClusterDomainRoute controller takes the domain's public key from there for the gateways'
 * token handshake.
 */
export async function storeDomainCert(api: KubeApi, domainID: string, certificatePem: string): Promise<void> {
  await api.request('PATCH', `/apis/kuscia.secretflow/v1alpha1/domains/${encodeURIComponent(domainID)}`, {
    body: { spec: { cert: Buffer.from(certificatePem, 'utf8').toString('base64') } },
    contentType: 'application/merge-patch+json',
  });
}
