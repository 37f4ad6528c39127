import type { AppImage, ClusterDomainRoute, Domain, KusciaJob, KusciaTask, TaskResource, TaskResourceGroup } from '../../crd/index.ts';
import type { KubeApi } from '../../kube/api-client.ts';
import { ResourceClient } from '../../kube/resource-client.ts';
import { CoreResources } from '../../kube/resources.ts';
import type { ClusterRoleBinding, ConfigMap, Namespace, Node, Pod, ResourceQuota, Role, RoleBinding, Service } from '../../kube/wire.ts';
import { KusciaResources } from './resources.ts';

/** One typed client per resource the controllers and the scheduler write, all on one connection pool. */
export interface KusciaClients {
  api: KubeApi;
  pods: ResourceClient<Pod>;
  nodes: ResourceClient<Node>;
  services: ResourceClient<Service>;
  configMaps: ResourceClient<ConfigMap>;
  namespaces: ResourceClient<Namespace>;
  resourceQuotas: ResourceClient<ResourceQuota>;
  roles: ResourceClient<Role>;
  roleBindings: ResourceClient<RoleBinding>;
  clusterRoleBindings: ResourceClient<ClusterRoleBinding>;
  kusciaJobs: ResourceClient<KusciaJob>;
  kusciaTasks: ResourceClient<KusciaTask>;
  taskResourceGroups: ResourceClient<TaskResourceGroup>;
  taskResources: ResourceClient<TaskResource>;
  domains: ResourceClient<Domain>;
  appImages: ResourceClient<AppImage>;
  clusterDomainRoutes: ResourceClient<ClusterDomainRoute>;
}

export function makeKusciaClients(api: KubeApi): KusciaClients {
  return {
    api,
    pods: new ResourceClient(api, CoreResources.pods),
    nodes: new ResourceClient(api, CoreResources.nodes),
    services: new ResourceClient(api, CoreResources.services),
    configMaps: new ResourceClient(api, CoreResources.configMaps),
    namespaces: new ResourceClient(api, CoreResources.namespaces),
    resourceQuotas: new ResourceClient(api, CoreResources.resourceQuotas),
    roles: new ResourceClient(api, CoreResources.roles),
    roleBindings: new ResourceClient(api, CoreResources.roleBindings),
    clusterRoleBindings: new ResourceClient(api, CoreResources.clusterRoleBindings),
    kusciaJobs: new ResourceClient(api, KusciaResources.kusciaJobs),
    kusciaTasks: new ResourceClient(api, KusciaResources.kusciaTasks),
    taskResourceGroups: new ResourceClient(api, KusciaResources.taskResourceGroups),
    taskResources: new ResourceClient(api, KusciaResources.taskResources),
    domains: new ResourceClient(api, KusciaResources.domains),
    appImages: new ResourceClient(api, KusciaResources.appImages),
    clusterDomainRoutes: new ResourceClient(api, KusciaResources.clusterDomainRoutes),
  };
}
