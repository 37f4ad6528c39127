import type { V1ClusterRole, V1ServiceAccount } from '@kubernetes/client-node';
import { Labels, type Domain } from '../../crd/index.ts';
import { ResourceClient } from '../../kube/resource-client.ts';
import { CoreResources } from '../../kube/resources.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import type { ClusterRoleBinding, ConfigMap, Namespace, Node, ResourceQuota, Role, RoleBinding, Wire } from '../../kube/wire.ts';
import type { ControllerContext } from '../common/controller-context.ts';
import { KusciaResources } from '../common/resources.ts';
import type { Event } from './invalid-name-event.ts';

export type ServiceAccount = Wire<V1ServiceAccount>;
export type ClusterRole = Wire<V1ClusterRole>;

/** Node index: the domain a Node serves (label kuscia.secretflow/namespace). */
export const NODES_BY_DOMAIN = 'domain-controller.nodes-by-domain';

/** The caches the Domain controller reads instead of GETting. */
export interface DomainInformers {
  domains: SharedInformer<Domain>;
  /** All namespaces: a domain's namespace may exist before Kuscia labels it. */
  namespaces: SharedInformer<Namespace>;
  /** All nodes (shared with the scheduler), indexed by NODES_BY_DOMAIN. */
  nodes: SharedInformer<Node>;
  /** What the controller created, selected by its kuscia.secretflow/domain-name label. */
  owned: {
    roles: SharedInformer<Role>;
    roleBindings: SharedInformer<RoleBinding>;
    serviceAccounts: SharedInformer<ServiceAccount>;
    clusterRoleBindings: SharedInformer<ClusterRoleBinding>;
    configMaps: SharedInformer<ConfigMap>;
    resourceQuotas: SharedInformer<ResourceQuota>;
  };
}

export function requestDomainInformers(ctx: ControllerContext): DomainInformers {
  const f = ctx.informers;
  const byDomainLabel = { labelSelector: Labels.DomainName };
  const nodes = f.informerFor<Node>(CoreResources.nodes);
  nodes.addIndexer(NODES_BY_DOMAIN, (n) => {
    const domain = n.metadata?.labels?.[Labels.NodeNamespace];
    return domain ? [domain] : [];
  });
  return {
    domains: f.informerFor<Domain>(KusciaResources.domains),
    namespaces: f.informerFor<Namespace>(CoreResources.namespaces),
    nodes,
    owned: {
      roles: f.informerFor<Role>(CoreResources.roles, byDomainLabel),
      roleBindings: f.informerFor<RoleBinding>(CoreResources.roleBindings, byDomainLabel),
      serviceAccounts: f.informerFor<ServiceAccount>(CoreResources.serviceAccounts, byDomainLabel),
      clusterRoleBindings: f.informerFor<ClusterRoleBinding>(CoreResources.clusterRoleBindings, byDomainLabel),
      configMaps: f.informerFor<ConfigMap>(CoreResources.configMaps, byDomainLabel),
      resourceQuotas: f.informerFor<ResourceQuota>(CoreResources.resourceQuotas, byDomainLabel),
    },
  };
}

/** Clients for the kinds the shared KusciaClients bundle does not carry. */
export interface DomainExtraClients {
  serviceAccounts: ResourceClient<ServiceAccount>;
  clusterRoles: ResourceClient<ClusterRole>;
  events: ResourceClient<Event>;
}

export function makeDomainExtraClients(ctx: ControllerContext): DomainExtraClients {
  const api = ctx.clients.api;
  return {
    serviceAccounts: new ResourceClient(api, CoreResources.serviceAccounts),
    clusterRoles: new ResourceClient(api, CoreResources.clusterRoles),
    events: new ResourceClient(api, CoreResources.events),
  };
}
