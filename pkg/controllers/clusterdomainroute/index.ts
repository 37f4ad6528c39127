/**
 * Kuscia's ClusterDomainRoute controller: from one cluster-wide route between two domains it keeps
 * a DomainRoute in each own side's namespace (the gateways' input), the domains' public keys on the
 * route, the status gathered back from the DomainRoutes and the source gateways (tokens, Ready,
 * endpoint health), and the InteropConfig when the destination is a peer control plane.
 */
import type { Domain, DomainRoute, InteropConfig } from '../../crd/index.ts';
import { Controller } from '../../kube/controller.ts';
import type { ControllerContext, KusciaController } from '../common/controller-context.ts';
import { CDRS_BY_DOMAIN, makeCdrClients, requestCdrInformers } from './cdr-informers.ts';
import { ClusterDomainRouteReconciler } from './cdr-reconciler.ts';

export { isClusterDomainRouteReady } from './ready-condition.ts';
export { READY_SUCCESS_MESSAGE, ReadyReason } from './reasons.ts';
export { HEARTBEAT_TIMEOUT_MS } from './ready-verdict.ts';
export { rsaPublicKeyFromCert, DomainCertError } from './public-key.ts';
export { interopConfigName } from './interop-config.ts';

export const CLUSTER_DOMAIN_ROUTE_CONTROLLER_NAME = 'clusterdomainroute';

export interface ClusterDomainRouteControllerOptions {
  /** Parallel reconciles (Kuscia: 4). */
  workers?: number;
  /**
   * Every route is looked at again this often (Kuscia: its 30 s monitor): endpoint health from the
   * gateways' heartbeats, and token heartbeat timeouts, change with time alone.
   */
  statusSyncIntervalMs?: number;
}

/** The Domain fields a route depends on: its key, whether it is a partner and whose. */
function routeRelevant(d: Domain): string {
  return JSON.stringify([d.spec?.cert, d.spec?.role, d.spec?.master, d.spec?.interConnProtocols]);
}

/** The ClusterDomainRoute controlling an object (DomainRoute, InteropConfig), by name. */
function owningRoute(obj: DomainRoute | InteropConfig): string | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'ClusterDomainRoute')?.name;
}

export function newClusterDomainRouteController(ctx: ControllerContext, options: ClusterDomainRouteControllerOptions = {}): KusciaController {
  const log = ctx.log.child({ component: CLUSTER_DOMAIN_ROUTE_CONTROLLER_NAME });
  const informers = requestCdrInformers(ctx);
  const reconciler = new ClusterDomainRouteReconciler({ ctx, informers, clients: makeCdrClients(ctx), log, requeueAfter: (name, ms) => controller.queue.addAfter(name, ms) });
  const controller: Controller = new Controller({ name: CLUSTER_DOMAIN_ROUTE_CONTROLLER_NAME, log: ctx.log, workers: options.workers ?? 4, reconcile: (key) => reconciler.reconcile(key) });

  const enqueueByDomain = (domain: string) => {
    for (const cdr of informers.clusterDomainRoutes.byIndex(CDRS_BY_DOMAIN, domain)) controller.enqueue(cdr);
  };
  const enqueueOwner = (obj: DomainRoute | InteropConfig) => {
    const owner = owningRoute(obj);
    if (owner) controller.enqueue(owner);
  };

  informers.clusterDomainRoutes.addEventHandler({
    onAdd: (cdr) => controller.enqueue(cdr),
    onUpdate: (oldCdr, newCdr) => {
      if (oldCdr.metadata.resourceVersion !== newCdr.metadata.resourceVersion) controller.enqueue(newCdr);
    },
  });
  informers.domains.addEventHandler({
    onAdd: (d) => enqueueByDomain(d.metadata.name ?? ''),
    onUpdate: (oldD, newD) => {
      if (routeRelevant(oldD) !== routeRelevant(newD)) enqueueByDomain(newD.metadata.name ?? '');
    },
    onDelete: (d) => {
      reconciler.forgetDomain(d.metadata.name ?? '');
      enqueueByDomain(d.metadata.name ?? '');
    },
  });
  informers.domainRoutes.addEventHandler({
    onAdd: enqueueOwner,
    onUpdate: (oldDr, newDr) => {
      if (oldDr.metadata.resourceVersion !== newDr.metadata.resourceVersion) enqueueOwner(newDr);
    },
    onDelete: (dr) => {
      enqueueOwner(dr);
      // A foreign route of the same name going away unblocks the ClusterDomainRoute that wanted it.
      for (const cdr of informers.clusterDomainRoutes.byIndex(CDRS_BY_DOMAIN, dr.spec?.source ?? '')) {
        if (cdr.spec?.destination === dr.spec?.destination) controller.enqueue(cdr);
      }
    },
  });
  informers.interopConfigs.addEventHandler({ onDelete: enqueueOwner });

  let statusTimer: NodeJS.Timeout | undefined;
  const enqueueAll = () => {
    for (const cdr of informers.clusterDomainRoutes.list()) controller.enqueue(cdr);
  };

  return {
    name: CLUSTER_DOMAIN_ROUTE_CONTROLLER_NAME,
    run() {
      enqueueAll();
      controller.run();
      clearInterval(statusTimer);
      statusTimer = setInterval(enqueueAll, options.statusSyncIntervalMs ?? 30_000);
      statusTimer.unref();
    },
    async stop() {
      clearInterval(statusTimer);
      statusTimer = undefined;
      await controller.stop();
    },
  };
}
