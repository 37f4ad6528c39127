import { API_VERSION, GROUP, KUSCIA_KINDS, VERSION } from '../../crd/index.ts';
import type { ResourceRef } from '../../kube/client.ts';

function kusciaRef(kind: string): ResourceRef {
  const info = KUSCIA_KINDS.find((k) => k.kind === kind);
  if (!info) throw new Error(`unknown Kuscia kind ${kind}`);
  return { group: GROUP, version: VERSION, plural: info.plural, namespaced: info.scope === 'Namespaced', statusSubresource: info.statusSubresource };
}

/** The Kuscia custom resources as REST resources, from the kind inventory the CRDs are checked against. */
export const KusciaResources = {
  kusciaJobs: kusciaRef('KusciaJob'),
  kusciaTasks: kusciaRef('KusciaTask'),
  taskResourceGroups: kusciaRef('TaskResourceGroup'),
  taskResources: kusciaRef('TaskResource'),
  domains: kusciaRef('Domain'),
  appImages: kusciaRef('AppImage'),
  clusterDomainRoutes: kusciaRef('ClusterDomainRoute'),
  domainRoutes: kusciaRef('DomainRoute'),
  gateways: kusciaRef('Gateway'),
  interopConfigs: kusciaRef('InteropConfig'),
} as const satisfies Record<string, ResourceRef>;

/** The ownerReference a Kuscia object puts on what it creates (controller=true, as Go's NewControllerRef). */
export function kusciaOwnerReference(kind: string, owner: { metadata?: { name?: string; uid?: string } }) {
  return {
    apiVersion: API_VERSION,
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
