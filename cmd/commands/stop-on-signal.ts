import type { Logger } from 'pino';

/**
 * SIGTERM or SIGINT stops the component (`stop` closes listeners, watches, storage or the Lease)
 * and exits 0, or 1 with the error logged when stopping fails. Every long-running command ends so.
 */
export function stopOnSignal(stop: () => Promise<void>, log: Logger): void {
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
