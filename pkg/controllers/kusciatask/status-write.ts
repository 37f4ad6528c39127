/**
 * Writing a task's status through the status subresource. The handlers compute the whole status
 * from one snapshot; on a conflict it is applied to the fresh object (Kuscia's UpdateKusciaTaskStatus
 * does the same) unless its phase moved meanwhile, keeping progress, which the app reports.
 */
import type { KusciaTask, KusciaTaskStatus } from '../../crd/index.ts';
import { isNotFound } from '../../kube/api-errors.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import { rfc3339 } from '../common/controller-context.ts';
import type { TaskControllerDeps } from './deps.ts';
import { sameJson } from './same-json.ts';

/**
 * Writes `status` unless it is what the task already has; a task deleted meanwhile is no error.
 * Resolves to whether `status` was written.
 */
export async function writeTaskStatus(deps: TaskControllerDeps, current: KusciaTask, status: KusciaTaskStatus): Promise<boolean> {
  const now = rfc3339(deps.now());
  let written = false;
  try {
    await updateStatusWithRetry(
      deps.clients.kusciaTasks,
      current.metadata.namespace ?? '',
      current.metadata.name ?? '',
      (fresh) => {
        written = false;
        if (fresh.metadata.uid !== current.metadata.uid) return false;
        // Someone else moved the task on (a job stop, a partner's sync): recompute from that state
        // (its update event requeues the task) instead of overwriting it with ours.
        if (fresh.status?.phase !== current.status?.phase || (fresh.status?.completionTime && !current.status?.completionTime)) return false;
        const desired: KusciaTaskStatus = { ...status, lastReconcileTime: now };
        if (fresh.status?.progress !== undefined) desired.progress = fresh.status.progress;
        else delete desired.progress;
        if (sameJson({ ...fresh.status, lastReconcileTime: now }, desired)) return false;
        fresh.status = desired;
        written = true;
        return true;
      },
      { current },
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return false;
  }
  return written;
}
