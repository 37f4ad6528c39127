import type { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { loadCrdManifests } from '../../pkg/crd/index.ts';
import { requestJson, type ResourceRef } from '../../pkg/kube/client.ts';
import { eventually } from './eventually.ts';

export const KUSCIA_JOBS: ResourceRef = { group: 'kuscia.secretflow', version: 'v1alpha1', plural: 'kusciajobs', namespaced: true };
export const CONFIG_MAPS: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

/** Applies Kuscia's KusciaJob CRD from crds/v1alpha1 and waits until it is served. */
export async function installKusciaJobCrd(kc: KubeConfig): Promise<void> {
  const crd = (await loadCrdManifests()).find((c) => c.spec.names.plural === 'kusciajobs');
  if (!crd) throw new Error('KusciaJob CRD manifest not found');
  await installCrd(kc, crd);
}

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** Creates a CRD as JSON (the typed client would drop its schema defaults) and waits for Established. */
export async function installCrd<T extends { metadata: { name?: string } }>(kc: KubeConfig, crd: T, timeoutMs = 10_000): Promise<void> {
  await requestJson(kc, 'POST', CRDS, { body: crd });
  await eventually(async () => {
    const got = (await requestJson(kc, 'GET', `${CRDS}/${crd.metadata.name}`)) as { status?: { conditions?: Array<{ type: string; status: string }> } };
    expect(got.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
  }, timeoutMs);
}

/** A minimal valid KusciaJob (one task, two parties). */
export function kusciaJob(name: string, namespace = 'cross-domain') {
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'KusciaJob',
    metadata: { name, namespace },
    spec: {
      initiator: 'alice',
      tasks: [{ alias: 'a', taskID: `${name}-a`, appImage: 'img', taskInputConfig: '{}', parties: [{ domainID: 'alice' }, { domainID: 'bob' }] }],
    },
  };
}
