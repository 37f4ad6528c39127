/**
 * A second leader-election contender in its own process, so a test can SIGKILL it while it leads:
 * `node leader-contender.ts <kubeconfig> <identity> <leaseDurationMs> <renewDeadlineMs> <retryPeriodMs>`.
 * Prints `LEADING` when it becomes leader.
 */
import { pino } from 'pino';
import { loadKubeConfig, makeKubeClients } from '../../pkg/kube/client.ts';
import { LeaderElector } from '../../pkg/kube/leader-election.ts';

const [kubeconfig, identity, leaseDurationMs, renewDeadlineMs, retryPeriodMs] = process.argv.slice(2);
const clients = makeKubeClients(loadKubeConfig(kubeconfig));
const elector = new LeaderElector({
  leases: clients.leases,
  identity,
  log: pino({ level: 'warn' }),
  leaseDurationMs: Number(leaseDurationMs),
  renewDeadlineMs: Number(renewDeadlineMs),
  retryPeriodMs: Number(retryPeriodMs),
  onStartedLeading: () => {
    process.stdout.write('LEADING\n');
  },
});
process.on('SIGTERM', () => elector.stop());
await elector.run();
