import { GROUP, KUSCIA_KINDS, VERSION } from '../../crd/index.ts';
import type { ResourceRef } from '../../kube/client.ts';

function kusciaRef(kind: string): ResourceRef {
  const info = KUSCIA_KINDS.find((k) => k.kind === kind);
  if (!info) throw new Error(`unknown Kuscia kind ${kind}`);
  return { group: GROUP, version: VERSION, plural: info.plural, namespaced: info.scope === 'Namespaced', statusSubresource: info.statusSubresource };
}

/**
 * The Kuscia kinds only the route controllers read or write, beside those in common/resources.ts
 * (KusciaResources has domainRoutes and clusterDomainRoutes already).
 */
export const RouteResources = {
  gateways: kusciaRef('Gateway'),
  interopConfigs: kusciaRef('InteropConfig'),
} as const satisfies Record<string, ResourceRef>;

