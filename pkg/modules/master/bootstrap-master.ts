import type { Logger } from 'pino';
import type { KubeApi } from '../../kube/api-client.ts';
import { loadCrdManifests, type Domain } from '../../crd/index.ts';
import { createIfMissing, createOrReplace, getOptional } from './apply-object.ts';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const DOMAINS = '/apis/kuscia.secretflow/v1alpha1/domains';
export const CROSS_DOMAIN_NAMESPACE = 'cross-domain';

export interface MasterBootstrapOptions {
  api: KubeApi;
  domainID: string;
  /** PEM of the domain certificate (published base64 in spec.cert). */
  domainCertPem: string;
  log: Logger;
}

/**
 * What Kuscia's k3s module does once the API server is ready: apply every CRD of crds/v1alpha1 and
 * wait until they are Established, create the namespace cross-domain, and create the node's own
 * Domain (name = domainID, spec.cert = base64 of the domain certificate, role empty = ours),
 * updating the cert when it changed. Idempotent: a restart finds everything in place.
 */
export async function bootstrapMaster(opts: MasterBootstrapOptions): Promise<void> {
  const { api, log } = opts;
  const crds = await loadCrdManifests();
  await Promise.all(crds.map((crd) => createOrReplace(api, CRDS, crd)));
  await waitEstablished(api, crds.map((c) => c.metadata.name ?? ''));
  log.info({ crds: crds.length }, 'CRDs applied');
  await createIfMissing(api, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CROSS_DOMAIN_NAMESPACE } });
  await ensureSelfDomain(opts);
}

async function ensureSelfDomain(opts: MasterBootstrapOptions): Promise<void> {
  const cert = Buffer.from(opts.domainCertPem, 'utf8').toString('base64');
  const path = `${DOMAINS}/${opts.domainID}`;
  const existing = await getOptional<Domain>(opts.api, path);
  if (!existing) {
    await opts.api.request('POST', DOMAINS, {
      body: { apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'Domain', metadata: { name: opts.domainID }, spec: { cert } },
    });
    opts.log.info({ domain: opts.domainID }, 'created the self Domain');
  } else if (existing.spec?.cert !== cert) {
    await opts.api.request('PATCH', path, { body: { spec: { cert } }, contentType: 'application/merge-patch+json' });
    opts.log.info({ domain: opts.domainID }, 'updated the self Domain certificate');
  }
}

async function waitEstablished(api: KubeApi, names: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await api.request<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', `${CRDS}/${name}`);
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
