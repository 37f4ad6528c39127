import type { ClusterDomainRoute, Domain, DomainRoute, Gateway, InteropConfig } from '../../crd/index.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import { ResourceClient } from '../../kube/resource-client.ts';
import { CoreResources } from '../../kube/resources.ts';
import type { ApiObject } from '../../kube/wire.ts';
import type { ControllerContext } from '../common/controller-context.ts';
import { KusciaResources } from '../common/resources.ts';

/** ClusterDomainRoutes by the Domains they join (spec, not labels: labels come later). */
export const CDRS_BY_DOMAIN = 'clusterdomainroute-controller.by-domain';
/** DomainRoutes by the uid of the ClusterDomainRoute controlling them. */
export const DRS_BY_OWNER_UID = 'clusterdomainroute-controller.by-owner-uid';

export interface CdrInformers {
  clusterDomainRoutes: SharedInformer<ClusterDomainRoute>;
  domains: SharedInformer<Domain>;
  domainRoutes: SharedInformer<DomainRoute>;
  gateways: SharedInformer<Gateway>;
  interopConfigs: SharedInformer<InteropConfig>;
}

export function requestCdrInformers(ctx: ControllerContext): CdrInformers {
  const f = ctx.informers;
  const clusterDomainRoutes = f.informerFor<ClusterDomainRoute>(KusciaResources.clusterDomainRoutes);
  clusterDomainRoutes.addIndexer(CDRS_BY_DOMAIN, (cdr) => [...new Set([cdr.spec?.source, cdr.spec?.destination].filter((d): d is string => !!d))]);
  const domainRoutes = f.informerFor<DomainRoute>(KusciaResources.domainRoutes);
  domainRoutes.addIndexer(DRS_BY_OWNER_UID, (dr) => (dr.metadata.ownerReferences ?? []).filter((r) => r.controller && r.kind === 'ClusterDomainRoute').map((r) => r.uid));
  return {
    clusterDomainRoutes,
    domains: f.informerFor<Domain>(KusciaResources.domains),
    domainRoutes,
    gateways: f.informerFor<Gateway>(KusciaResources.gateways),
    interopConfigs: f.informerFor<InteropConfig>(KusciaResources.interopConfigs),
  };
}

/** Clients for the kinds the shared KusciaClients bundle does not carry. */
export interface CdrClients {
  domainRoutes: ResourceClient<DomainRoute>;
  interopConfigs: ResourceClient<InteropConfig>;
  serviceAccounts: ResourceClient<ApiObject>;
}

export function makeCdrClients(ctx: ControllerContext): CdrClients {
  const api = ctx.clients.api;
  return {
    domainRoutes: new ResourceClient(api, KusciaResources.domainRoutes),
    interopConfigs: new ResourceClient(api, KusciaResources.interopConfigs),
    serviceAccounts: new ResourceClient(api, CoreResources.serviceAccounts),
  };
}
