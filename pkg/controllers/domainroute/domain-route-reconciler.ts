import type { Logger } from 'pino';
import { Labels, type DomainRoute, type Gateway } from '../../crd/index.ts';
import { isConflict } from '../../kube/api-errors.ts';
import { splitObjectKey } from '../../kube/object-key.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import type { ControllerContext } from '../common/controller-context.ts';
import { nextDestinationStep, nextSourceStep, requeueTimes, type RollingEnv, type RollingStep } from './token-rolling.ts';
import { routeNeedsToken, routeSpecProblem } from './validate.ts';

/** Timers fire this much after a deadline, so the strict "older than" checks hold when they run. */
const REQUEUE_SLACK_MS = 1000;

export interface DomainRouteReconcilerDeps {
  ctx: ControllerContext;
  domainRoutes: SharedInformer<DomainRoute>;
  client: ResourceClient<DomainRoute>;
  gateways: SharedInformer<Gateway>;
  log: Logger;
  random: () => number;
  requeueAfter: (key: string, ms: number) => void;
}

/**
 * One DomainRoute, control-plane side (Kuscia's domainroute controller): its source/destination
 * labels, and for token routes the revision bookkeeping around the gateways' handshake — in the
 * source namespace the initializer gateway, pre-rolling and post-rolling; in the destination
 * namespace expiry and readiness. One status write per pass: its event brings the next pass.
 */
export class DomainRouteReconciler {
  private readonly deps: DomainRouteReconcilerDeps;
  /** Invalid routes already reported (`uid/generation`): one warning each, not one per resync. */
  private readonly reportedInvalid = new Set<string>();

  constructor(deps: DomainRouteReconcilerDeps) {
    this.deps = deps;
  }

  forget(dr: DomainRoute): void {
    for (const key of this.reportedInvalid) if (key.startsWith(`${dr.metadata.uid}/`)) this.reportedInvalid.delete(key);
  }

  async reconcile(key: string): Promise<void> {
    const { domainRoutes, gateways } = this.deps;
    if (!domainRoutes.hasSynced() || !gateways.hasSynced()) throw new Error('domainroute caches not synced yet');
    const { namespace, name } = splitObjectKey(key);
    const dr = domainRoutes.get(namespace, name);
    if (!dr || dr.metadata.deletionTimestamp) return;
    const log = this.deps.log.child({ namespace, name });

    if (await this.ensureLabels(dr, log)) return;
    const problem = routeSpecProblem(dr.spec);
    if (problem) return this.reportInvalid(dr, problem, log);
    if (!routeNeedsToken(dr.spec)) return;
    const tc = dr.spec?.tokenConfig;
    if (!tc?.sourcePublicKey || !tc.destinationPublicKey) {
      log.debug('waiting for both public keys before any handshake');
      return;
    }
    const side = namespace === dr.spec?.source ? 'source' : namespace === dr.spec?.destination ? 'destination' : undefined;
    if (!side) return;
    const next = side === 'source' ? nextSourceStep : nextDestinationStep;
    await this.applyStep(dr, (d) => next(d, this.env(namespace)), log);
    const now = this.deps.ctx.now();
    for (const at of requeueTimes(dr, side)) if (at > now) this.deps.requeueAfter(key, at - now + REQUEUE_SLACK_MS);
  }

  private env(namespace: string): RollingEnv {
    return { now: this.deps.ctx.now(), gateways: this.deps.gateways.list(namespace), random: this.deps.random };
  }

  /** Applies one rolling step, recomputed on the stored object when a gateway wrote in between. */
  private async applyStep(dr: DomainRoute, step: (dr: DomainRoute) => RollingStep, log: Logger): Promise<void> {
    let applied: Extract<RollingStep, { kind: 'write' }> | undefined;
    let waiting = false;
    await updateStatusWithRetry(
      this.deps.client,
      dr.metadata.namespace ?? '',
      dr.metadata.name ?? '',
      (d) => {
        applied = undefined;
        const s = step(d);
        waiting = s.kind === 'no-live-gateway';
        if (s.kind !== 'write') return false;
        d.status = { ...d.status, tokenStatus: s.tokenStatus };
        applied = s;
        return true;
      },
      { current: dr },
    );
    if (waiting) log.debug('no live gateway in the namespace to run the handshake; waiting for one');
    const done = applied as Extract<RollingStep, { kind: 'write' }> | undefined;
    if (done) log.info({ revision: done.revision, initializer: done.tokenStatus.revisionInitializer }, done.action);
  }

  /** Kuscia puts `clusterdomainroute-source/destination` on every route (also hand-made ones). Resolves true when it wrote. */
  private async ensureLabels(dr: DomainRoute, log: Logger): Promise<boolean> {
    if (dr.metadata.labels?.[Labels.ClusterDomainRouteSource] !== undefined) return false;
    const labels = { [Labels.ClusterDomainRouteSource]: dr.spec?.source ?? '', [Labels.ClusterDomainRouteDestination]: dr.spec?.destination ?? '' };
    try {
      await this.deps.client.patch(dr.metadata.namespace ?? '', dr.metadata.name ?? '', { metadata: { resourceVersion: dr.metadata.resourceVersion, labels } });
      log.info('source and destination labels added');
    } catch (err) {
      // A newer version is on its way to the cache; its event brings the route back.
      if (!isConflict(err)) throw err;
    }
    return true;
  }

  private reportInvalid(dr: DomainRoute, problem: string, log: Logger): void {
    const key = `${dr.metadata.uid}/${dr.metadata.generation ?? 0}`;
    if (this.reportedInvalid.has(key)) return;
    this.reportedInvalid.add(key);
    log.warn({ problem }, 'invalid DomainRoute; nothing done until its spec is fixed');
  }
}
