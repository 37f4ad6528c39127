import { resolve } from 'node:path';
import { pino } from 'pino';
import { controllerRegistrations, schedulerRegistrations } from '../../pkg/controllers/registry.ts';
import { startControllerManager, type ControllerRegistration } from '../../pkg/controllers/manager/manager.ts';
import { loadKubeConfig } from '../../pkg/kube/client.ts';
import type { ManagerFlags } from './controllers.ts';
import { stopOnSignal } from './stop-on-signal.ts';

/** `kuscia controllers`: the Kuscia controllers behind the Lease kuscia-controller-manager. */
export function runControllers(opts: ManagerFlags): Promise<void> {
  return runManager(opts, 'kuscia-controller-manager', controllerRegistrations({ jobRetentionMs: opts.jobRetention, nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriod }));
}

/** `kuscia scheduler`: the kuscia-scheduler behind the Lease kuscia-scheduler. */
export function runScheduler(opts: ManagerFlags): Promise<void> {
  return runManager(opts, 'kuscia-scheduler', schedulerRegistrations());
}

async function runManager(opts: ManagerFlags, leaseName: string, registrations: ControllerRegistration[]): Promise<void> {
  const log = pino({ level: opts.logLevel });
  const manager = await startControllerManager({
    kubeConfig: loadKubeConfig(resolve(opts.kubeconfig)),
    log,
    controllers: registrations,
    leaderElection: opts.leaderElect
      ? { leaseName, leaseDurationMs: opts.leaseDuration, renewDeadlineMs: opts.renewDeadline, retryPeriodMs: opts.retryPeriod }
      : undefined,
    health: { port: opts.healthzPort },
  });
  if (manager.healthUrl) process.stdout.write(`kuscia ${leaseName}: healthz at ${manager.healthUrl}/healthz\n`);
  void manager.lost.then(() => {
    process.stderr.write(`kuscia: ${leaseName}: leader election lost\n`);
    process.exit(1);
  });
  stopOnSignal(() => manager.stop(), log);
}
