/**
 * Kuscia's error budget: a job whose reconcile keeps failing is failed for good after 3 requeues,
 * "KusciaJob failed after 3x retry, last error: …". Its unfinished tasks are stopped on the way
 * (best effort: the error may be exactly that they cannot be written) and completionTime is set,
 * so the Failed handler does not start the same failing work again.
 */
import { KusciaJobPhase, type KusciaJob } from '../../crd/index.ts';
import { describeError, isNotFound } from '../../kube/api-errors.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import type { JobHandlerDeps } from './deps.ts';
import { errorMessage } from './error-message.ts';
import { failActiveTaskStatuses, shouldReconcile } from './job-status.ts';
import { stopJobTasks } from './task-operations.ts';

export const JOB_MAX_RETRIES = 3;

export function forceFailMessage(lastError: unknown): string {
  return `KusciaJob failed after ${JOB_MAX_RETRIES}x retry, last error: ${errorMessage(lastError)}`;
}

export async function forceFailJob(job: KusciaJob, lastError: unknown, deps: JobHandlerDeps): Promise<void> {
  if (!shouldReconcile(job)) return;
  const { namespace = '', name = '' } = job.metadata;
  try {
    await stopJobTasks(job, deps);
  } catch (err) {
    deps.log.warn({ err: describeError(err) }, 'could not stop the tasks of a force-failed job');
  }
  const message = forceFailMessage(lastError);
  const now = deps.now();
  try {
    await updateStatusWithRetry(deps.ctx.clients.kusciaJobs, namespace, name, (fresh) => {
      if (!shouldReconcile(fresh)) return false;
      const status = (fresh.status ??= {});
      status.phase = KusciaJobPhase.Failed;
      status.message = message;
      status.startTime ??= now;
      status.completionTime = now;
      status.lastReconcileTime = now;
      failActiveTaskStatuses(status);
    });
    deps.log.warn({ message }, 'job force-failed');
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
