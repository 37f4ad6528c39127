/**
 * Kuscia's DomainRoute controller, control-plane side: labels every DomainRoute with its source and
 * destination, and for token routes keeps the revision bookkeeping the gateways' handshake relies
 * on (which gateway initiates it, when a new revision starts, which tokens are kept and when the
 * destination's token is ready). The handshake and the Envoy configuration are the gateway's.
 */
import type { DomainRoute, Gateway } from '../../crd/index.ts';
import { Controller } from '../../kube/controller.ts';
import { ResourceClient } from '../../kube/resource-client.ts';
import { RateLimitingQueue } from '../../kube/work-queue.ts';
import type { ControllerContext, KusciaController } from '../common/controller-context.ts';
import { KusciaResources } from '../common/resources.ts';
import { DomainRouteReconciler } from './domain-route-reconciler.ts';
import { isGatewayLive } from './gateway-liveness.ts';

export { GATEWAY_LIVE_TIMEOUT_MS, isGatewayLive } from './gateway-liveness.ts';
export { routeNeedsToken, routeSpecProblem } from './validate.ts';
export { KEPT_SOURCE_TOKENS, TOKEN_ROLLING_GRACE_MS } from './token-rolling.ts';

export const DOMAIN_ROUTE_CONTROLLER_NAME = 'domainroute';
const DOMAIN_ROUTES_BY_NAMESPACE = 'domainroute-controller.by-namespace';

export interface DomainRouteControllerOptions {
  /** Parallel reconciles (Kuscia: 4). */
  workers?: number;
  /**
   * Every route is looked at again this often (Kuscia: its informer's 2-minute resync), which is how
   * time-based decisions are taken when no event comes, e.g. a gateway that stopped heart-beating.
   */
  resyncIntervalMs?: number;
  /** Picks among live gateways (tests make it deterministic). */
  random?: () => number;
}

export function newDomainRouteController(ctx: ControllerContext, options: DomainRouteControllerOptions = {}): KusciaController {
  const log = ctx.log.child({ component: DOMAIN_ROUTE_CONTROLLER_NAME });
  const domainRoutes = ctx.informers.informerFor<DomainRoute>(KusciaResources.domainRoutes);
  const gateways = ctx.informers.informerFor<Gateway>(KusciaResources.gateways);
  domainRoutes.addIndexer(DOMAIN_ROUTES_BY_NAMESPACE, (dr) => [dr.metadata.namespace ?? '']);

  const queue = new RateLimitingQueue();
  const reconciler = new DomainRouteReconciler({
    ctx,
    domainRoutes,
    client: new ResourceClient<DomainRoute>(ctx.clients.api, KusciaResources.domainRoutes),
    gateways,
    log,
    random: options.random ?? Math.random,
    requeueAfter: (key, ms) => queue.addAfter(key, ms),
  });
  const controller = new Controller({ name: DOMAIN_ROUTE_CONTROLLER_NAME, queue, log: ctx.log, workers: options.workers ?? 4, reconcile: (key) => reconciler.reconcile(key) });

  domainRoutes.addEventHandler({
    onAdd: (dr) => controller.enqueue(dr),
    onUpdate: (oldDr, newDr) => {
      if (oldDr.metadata.resourceVersion !== newDr.metadata.resourceVersion) controller.enqueue(newDr);
    },
    onDelete: (dr) => reconciler.forget(dr),
  });

  // A gateway coming up (or back) can initiate handshakes; one going away may have been the initializer.
  const enqueueNamespace = (gw: Gateway) => {
    for (const dr of domainRoutes.byIndex(DOMAIN_ROUTES_BY_NAMESPACE, gw.metadata.namespace ?? '')) controller.enqueue(dr);
  };
  gateways.addEventHandler({
    onAdd: enqueueNamespace,
    onUpdate: (oldGw, newGw) => {
      const now = ctx.now();
      if (oldGw.metadata.resourceVersion !== newGw.metadata.resourceVersion && !isGatewayLive(oldGw, now) && isGatewayLive(newGw, now)) enqueueNamespace(newGw);
    },
    onDelete: enqueueNamespace,
  });

  let resyncTimer: NodeJS.Timeout | undefined;
  const enqueueAll = () => {
    for (const dr of domainRoutes.list()) controller.enqueue(dr);
  };

  return {
    name: DOMAIN_ROUTE_CONTROLLER_NAME,
    run() {
      enqueueAll();
      controller.run();
      clearInterval(resyncTimer);
      resyncTimer = setInterval(enqueueAll, options.resyncIntervalMs ?? 2 * 60_000);
      resyncTimer.unref();
    },
    async stop() {
      clearInterval(resyncTimer);
      resyncTimer = undefined;
      await controller.stop();
    },
  };
}
