import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { KubeApi } from '../../kube/api-client.ts';
import { describeError } from '../../kube/api-errors.ts';
import type { ResourceRef } from '../../kube/client.ts';
import { SharedInformerFactory } from '../../kube/informer-factory.ts';
import { LeaderElector } from '../../kube/leader-election.ts';
import { ResourceClient } from '../../kube/resource-client.ts';
import { CoreResources } from '../../kube/resources.ts';
import type { Lease } from '../../kube/wire.ts';
import { makeKusciaClients } from '../common/clients.ts';
import type { ControllerContext, ControllerFactory, KusciaController } from '../common/controller-context.ts';
import { startHealthServer, type HealthServer } from './healthz.ts';
import { waitForResources } from './wait-for-resources.ts';

export interface ControllerRegistration {
  name: string;
  /** Resources that must be served before the controller starts (its CRDs). */
  requires: ResourceRef[];
  factory: ControllerFactory;
}

export interface LeaderElectionConfig {
  leaseName: string;
  leaseNamespace?: string;
  /** Defaults to hostname_uuid, client-go style. */
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface ControllerManagerOptions {
  kubeConfig: KubeConfig;
  log: Logger;
  controllers: ControllerRegistration[];
  /** Without it the controllers run at once (single instance; tests). */
  leaderElection?: LeaderElectionConfig;
  /** Serve /healthz there (port 0 picks one). */
  health?: { host?: string; port: number };
  /** Informer resync (Kuscia: 5 min). */
  resyncPeriodMs?: number;
  now?: () => number;
}

export interface RunningControllerManager {
  healthUrl?: string;
  isLeader(): boolean;
  /** Resolves when this instance lost the lease (its controllers are stopped; the process should exit). */
  readonly lost: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Kuscia's controller manager: waits for the CRDs its controllers need, takes the Lease (only one
 * instance runs controllers; another takes over within the lease duration when it dies), then
 * starts one shared informer factory, builds every controller, syncs caches and runs them.
 */
export async function startControllerManager(opts: ControllerManagerOptions): Promise<RunningControllerManager> {
  const log = opts.log.child({ component: 'controller-manager' });
  const api = new KubeApi(opts.kubeConfig);
  const clients = makeKusciaClients(api);
  let running: { controllers: KusciaController[]; informers: SharedInformerFactory } | undefined;
  let startFailed = false;

  const runControllers = async (signal: AbortSignal): Promise<void> => {
    try {
      await waitForResources(api, opts.controllers.flatMap((c) => c.requires), { log, signal });
      const informers = new SharedInformerFactory({ api, log: opts.log, defaultResyncMs: opts.resyncPeriodMs ?? 300_000 });
      const ctx: ControllerContext = { clients, informers, log: opts.log, now: opts.now ?? Date.now };
      const controllers = opts.controllers.map((c) => c.factory(ctx));
      running = { controllers, informers };
      await informers.start();
      if (!(await informers.waitForCacheSync(120_000))) throw new Error('informer caches did not sync within 120 s');
      if (signal.aborted) return;
      for (const c of controllers) c.run();
      log.info({ controllers: controllers.map((c) => c.name) }, 'controllers running');
    } catch (err) {
      if (signal.aborted) return;
      startFailed = true;
      log.error({ err: describeError(err) }, 'controllers failed to start');
      throw err;
    }
  };

  const stopControllers = async (): Promise<void> => {
    const r = running;
    running = undefined;
    if (!r) return;
    await Promise.all(r.controllers.map((c) => c.stop()));
    await r.informers.stop();
  };

  let elector: LeaderElector | undefined;
  let lost: Promise<void>;
  const standalone = new AbortController();
  if (opts.leaderElection) {
    const le = opts.leaderElection;
    elector = new LeaderElector({
      leases: new ResourceClient<Lease>(api, CoreResources.leases),
      identity: le.identity ?? `${hostname()}_${randomUUID()}`,
      leaseName: le.leaseName,
      leaseNamespace: le.leaseNamespace,
      leaseDurationMs: le.leaseDurationMs,
      renewDeadlineMs: le.renewDeadlineMs,
      retryPeriodMs: le.retryPeriodMs,
      log: opts.log,
      onStartedLeading: (signal) => {
        signal.addEventListener('abort', () => void stopControllers(), { once: true });
        // A leader that cannot start its controllers gives the lease up for a healthy instance;
        // `lost` then resolves and the process exits, as Kuscia's manager does.
        return runControllers(signal).catch(() => elector?.stop());
      },
    });
    let stopped = false;
    const runner = elector.run();
    lost = runner.then(async () => {
      await stopControllers();
      if (stopped) return new Promise<void>(() => undefined);
    });
    const stopElector = elector;
    const health = opts.health ? await startHealth(opts.health, () => stopElector.healthy(), () => !startFailed) : undefined;
    return {
      healthUrl: health?.url,
      isLeader: () => stopElector.isLeader(),
      lost,
      async stop() {
        stopped = true;
        stopElector.stop();
        await runner;
        await stopControllers();
        await health?.close();
        api.close();
      },
    };
  }

  await runControllers(standalone.signal);
  lost = new Promise<void>(() => undefined);
  const health = opts.health ? await startHealth(opts.health, () => true, () => !startFailed) : undefined;
  return {
    healthUrl: health?.url,
    isLeader: () => true,
    lost,
    async stop() {
      standalone.abort();
      await stopControllers();
      await health?.close();
      api.close();
    },
  };
}

function startHealth(where: { host?: string; port: number }, leaderHealthy: () => boolean, controllersHealthy: () => boolean): Promise<HealthServer> {
  return startHealthServer({ ...where, checks: { ping: () => true, 'leader-election': leaderHealthy, controllers: controllersHealthy } });
}
