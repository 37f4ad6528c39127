import { Command, Option } from 'commander';
import { durationMs, port } from '../flag-parsers.ts';

/*
 * The controllers, the scheduler and client-node are loaded when one of these commands runs
 * (run-manager.ts), not when the CLI starts: `kuscia apiserver` would otherwise carry them all
 * (about 58 MB of RSS at start).
 */

export interface ManagerFlags {
  kubeconfig: string;
  leaderElect: boolean;
  leaseDuration: number;
  renewDeadline: number;
  retryPeriod: number;
  healthzPort: number;
  logLevel: string;
  jobRetention?: number;
  nodeMonitorGracePeriod?: number;
}

/** Flags shared by `kuscia controllers` and `kuscia scheduler` (kube-controller-manager's names). */
function managerCommand(name: string, description: string, healthzPort: number): Command {
  return new Command(name)
    .description(description)
    .requiredOption('--kubeconfig <file>', 'kubeconfig of the API server to work against')
    .option('--no-leader-elect', 'run without the Lease (only safe with a single instance)')
    .option('--lease-duration <duration>', 'how long non-leaders wait before taking an unrenewed lease', durationMs, 15_000)
    .option('--renew-deadline <duration>', 'how long the leader retries renewing before giving up', durationMs, 10_000)
    .option('--retry-period <duration>', 'pause between lease attempts', durationMs, 2_000)
    .option('--healthz-port <port>', 'serve /healthz on 127.0.0.1 at this port (0 picks one)', port, healthzPort)
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'));
}

/** `kuscia controllers`: Domain, KusciaJob (+ GC), KusciaTask and TaskResourceGroup controllers behind the Lease kuscia-controller-manager. */
export function controllersCommand(): Command {
  return managerCommand('controllers', 'run the Kuscia controllers (leader-elected on the Lease kube-system/kuscia-controller-manager)', 8090)
    .option('--job-retention <duration>', 'delete finished KusciaJobs this long after completion', durationMs, 720 * 3_600_000)
    .option('--node-monitor-grace-period <duration>', "mark a node NotReady (and fail its pods) when its agent's Lease was not renewed for this long", durationMs, 40_000)
    .action(async (opts: ManagerFlags) => (await import('./run-manager.ts')).runControllers(opts));
}

/** `kuscia scheduler`: the kuscia-scheduler behind its own Lease kube-system/kuscia-scheduler. */
export function schedulerCommand(): Command {
  return managerCommand('scheduler', 'run the kuscia-scheduler (gang scheduling of task pods; leader-elected on the Lease kube-system/kuscia-scheduler)', 8091).action(async (opts: ManagerFlags) =>
    (await import('./run-manager.ts')).runScheduler(opts),
  );
}
