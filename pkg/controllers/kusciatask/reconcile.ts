/**
 * One pass over a task (Kuscia: syncHandler): clean up leftovers under its name, then run the
 * handler of its phase on a copy and write the status if it changed. A handler error is thrown to
 * the work queue, which retries with backoff and, after maxRetries, calls forceFailTask.
 */
import { KusciaTaskConditionType, Labels, type KusciaTask, type KusciaTaskPhase } from '../../crd/index.ts';
import { describeError } from '../../kube/api-errors.ts';
import { splitObjectKey } from '../../kube/object-key.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import { rfc3339 } from '../common/controller-context.ts';
import { releaseIdlePorts, removeLeftovers } from './cleanup.ts';
import type { TaskControllerDeps } from './deps.ts';
import { TASK_CREATE_FAILED_REASON, TaskCreateError } from './errors.ts';
import { reconcileFailed, reconcileSucceeded } from './finished.ts';
import { liveTask } from './lookups.ts';
import { reconcilePending } from './pending.ts';
import { reconcileRunning } from './running.ts';
import { writeTaskStatus } from './status-write.ts';
import { isTaskConditionTrue, setTaskCondition } from './task-conditions.ts';

type PhaseHandler = (deps: TaskControllerDeps, task: KusciaTask) => Promise<boolean>;

const HANDLERS: Record<KusciaTaskPhase, PhaseHandler> = {
  Pending: reconcilePending,
  Running: reconcileRunning,
  Succeeded: reconcileSucceeded,
  Failed: reconcileFailed,
};

export async function reconcileTask(deps: TaskControllerDeps, key: string): Promise<void> {
  const { name } = splitObjectKey(key);
  const task = await liveTask(deps, name);
  if (!task) {
    deps.resourceWaits.done(key);
    await removeLeftovers(deps, name, undefined);
    releaseIdlePorts(deps, name, undefined);
    return;
  }
  const finished = Boolean(task.status?.completionTime);
  const leftovers = await removeLeftovers(deps, name, task.metadata.uid);
  releaseIdlePorts(deps, name, finished ? undefined : task.metadata.uid);
  if (task.metadata.deletionTimestamp || finished) {
    deps.resourceWaits.done(key);
    return;
  }
  const phase: KusciaTaskPhase = task.status?.phase || 'Pending';
  // BFIA drives such tasks through its own controller.
  if (task.metadata.labels?.[Labels.TaskUnschedulable] === 'true' && phase !== 'Failed') return;
  if (leftovers > 0 && !isTaskConditionTrue(task.status, KusciaTaskConditionType.ResourceCreated)) {
    // Objects of a previous task of this name are still going away; their deletion requeues us.
    deps.log.info({ task: name, leftovers }, 'waiting for objects of a previous task with this name to be deleted');
    return;
  }
  const handler = HANDLERS[phase];
  if (!handler) {
    deps.log.warn({ task: name, phase }, 'unknown task phase; ignoring');
    return;
  }
  const copy = structuredClone(task);
  if (!(await handler(deps, copy))) return;
  if (!(await writeTaskStatus(deps, task, copy.status ?? {}))) return;
  const next = copy.status?.phase ?? phase;
  if (next !== (task.status?.phase || undefined)) deps.log.info({ task: name, phase: next, message: copy.status?.message }, 'task phase changed');
  if (copy.status?.completionTime) deps.log.info({ task: name, phase: next }, 'task finished');
}

/** After maxRetries failed reconciles the task fails with the last error (Kuscia: failKusciaTask). */
export async function forceFailTask(deps: TaskControllerDeps, key: string, lastError: unknown): Promise<void> {
  const { namespace, name } = splitObjectKey(key);
  const task = deps.tasks.get(namespace, name);
  if (!task || task.status?.completionTime) return;
  const now = rfc3339(deps.now());
  const message = `KusciaTask failed after ${deps.maxRetries}x retry, last error: ${describeError(lastError)}`;
  deps.log.warn({ task: name, err: describeError(lastError) }, 'force-failing task');
  await updateStatusWithRetry(
    deps.clients.kusciaTasks,
    namespace,
    name,
    (fresh) => {
      if (fresh.metadata.uid !== task.metadata.uid || fresh.status?.completionTime) return false;
      const status = (fresh.status ??= {});
      status.phase = 'Failed';
      status.message = message;
      status.lastReconcileTime = now;
      if (lastError instanceof TaskCreateError) {
        setTaskCondition(status, KusciaTaskConditionType.ResourceCreated, 'False', now, TASK_CREATE_FAILED_REASON, lastError.message);
      }
      return true;
    },
    { current: task },
  );
}
