import { CoreResources } from '../kube/resources.ts';
import { newKusciaScheduler } from '../scheduler/index.ts';
import { KusciaResources } from './common/resources.ts';
import { newClusterDomainRouteController } from './clusterdomainroute/index.ts';
import { newDomainController } from './domain/index.ts';
import { newDomainRouteController } from './domainroute/index.ts';
import { newKusciaJobController, newKusciaJobGCController } from './kusciajob/index.ts';
import { newKusciaTaskController } from './kusciatask/index.ts';
import type { ControllerRegistration } from './manager/manager.ts';
import { newNodeLifecycleController } from './nodelifecycle/index.ts';
import { newTaskResourceGroupController } from './taskresourcegroup/index.ts';

export interface ControllerSettings {
  /** Finished KusciaJobs are deleted this long after completionTime (Kuscia: 720 h). */
  jobRetentionMs?: number;
  /** A node silent this long is unreachable (kube-controller-manager --node-monitor-grace-period, 40 s). */
  nodeMonitorGracePeriodMs?: number;
}

/** What `kuscia controllers` runs, in Kuscia's registration order, each with the CRDs it waits for. */
export function controllerRegistrations(settings: ControllerSettings = {}): ControllerRegistration[] {
  const K = KusciaResources;
  return [
    { name: 'taskresourcegroup', requires: [K.taskResourceGroups, K.taskResources], factory: (ctx) => newTaskResourceGroupController(ctx) },
    { name: 'domain', requires: [K.domains], factory: (ctx) => newDomainController(ctx) },
    { name: 'clusterdomainroute', requires: [K.clusterDomainRoutes, K.domainRoutes, K.domains, KusciaResources.gateways, KusciaResources.interopConfigs], factory: (ctx) => newClusterDomainRouteController(ctx) },
    { name: 'domainroute', requires: [K.domainRoutes, KusciaResources.gateways], factory: (ctx) => newDomainRouteController(ctx) },
    { name: 'kusciatask', requires: [K.kusciaTasks, K.taskResourceGroups, K.appImages], factory: (ctx) => newKusciaTaskController(ctx) },
    { name: 'kusciajob', requires: [K.kusciaJobs, K.kusciaTasks, K.appImages], factory: (ctx) => newKusciaJobController(ctx) },
    { name: 'kusciajob-gc', requires: [K.kusciaJobs], factory: (ctx) => newKusciaJobGCController(ctx, { retentionMs: settings.jobRetentionMs }) },
    { name: 'nodelifecycle', requires: [], factory: (ctx) => newNodeLifecycleController(ctx, { gracePeriodMs: settings.nodeMonitorGracePeriodMs }) },
  ];
}

/** What `kuscia scheduler` runs. */
export function schedulerRegistrations(): ControllerRegistration[] {
  return [{ name: 'kuscia-scheduler', requires: [KusciaResources.taskResources, CoreResources.pods, CoreResources.nodes], factory: (ctx) => newKusciaScheduler(ctx) }];
}
