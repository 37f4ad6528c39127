/**
 * The inventory of the 18 Kuscia kinds: naming, scope and whether status is a subresource.
 * It mirrors what `crds/v1alpha1/*.yaml` declare; tests keep the two in agreement, and callers
 * (RBAC, bootstrap, clients) can use it without parsing YAML.
 */

export interface KusciaKindInfo {
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  shortNames: string[];
  /** True when `status` is a subresource (written through `/status` only). */
  statusSubresource: boolean;
}

export const KUSCIA_KINDS: readonly KusciaKindInfo[] = [
  { kind: 'AppImage', plural: 'appimages', scope: 'Cluster', shortNames: ['aimg'], statusSubresource: false },
  { kind: 'DomainAppImage', plural: 'domainappimages', scope: 'Namespaced', shortNames: ['daimg'], statusSubresource: false },
  { kind: 'ClusterDomainRoute', plural: 'clusterdomainroutes', scope: 'Cluster', shortNames: ['cdr'], statusSubresource: true },
  { kind: 'DomainRoute', plural: 'domainroutes', scope: 'Namespaced', shortNames: ['dr'], statusSubresource: true },
  { kind: 'Domain', plural: 'domains', scope: 'Cluster', shortNames: [], statusSubresource: true },
  { kind: 'DomainData', plural: 'domaindatas', scope: 'Namespaced', shortNames: ['kdd'], statusSubresource: true },
  { kind: 'DomainDataGrant', plural: 'domaindatagrants', scope: 'Namespaced', shortNames: ['ddg'], statusSubresource: true },
  { kind: 'DomainDataSource', plural: 'domaindatasources', scope: 'Namespaced', shortNames: ['dds'], statusSubresource: true },
  { kind: 'Gateway', plural: 'gateways', scope: 'Namespaced', shortNames: ['gw'], statusSubresource: true },
  { kind: 'InteropConfig', plural: 'interopconfigs', scope: 'Cluster', shortNames: ['interop'], statusSubresource: false },
  { kind: 'KusciaDeployment', plural: 'kusciadeployments', scope: 'Namespaced', shortNames: ['kd'], statusSubresource: true },
  {
    kind: 'KusciaDeploymentSummary',
    plural: 'kusciadeploymentsummaries',
    scope: 'Namespaced',
    shortNames: ['kds'],
    statusSubresource: false,
  },
  { kind: 'KusciaJob', plural: 'kusciajobs', scope: 'Namespaced', shortNames: ['kj'], statusSubresource: true },
  { kind: 'KusciaJobSummary', plural: 'kusciajobsummaries', scope: 'Namespaced', shortNames: ['kjs'], statusSubresource: false },
  { kind: 'KusciaTask', plural: 'kusciatasks', scope: 'Namespaced', shortNames: ['kt'], statusSubresource: true },
  { kind: 'KusciaTaskSummary', plural: 'kusciatasksummaries', scope: 'Namespaced', shortNames: ['kts'], statusSubresource: false },
  { kind: 'TaskResourceGroup', plural: 'taskresourcegroups', scope: 'Cluster', shortNames: ['trg'], statusSubresource: true },
  // TaskResource status is patched together with the object (no subresource) in the original.
  { kind: 'TaskResource', plural: 'taskresources', scope: 'Namespaced', shortNames: ['tr'], statusSubresource: false },
];
