/**
 * Writes to TaskResource status. TaskResource has no status subresource: replaceStatus PUTs the
 * whole object, conditional on its resourceVersion; a conflict re-reads it and decides again.
 */
import { API_VERSION, Labels } from '../../crd/constants.ts';
import { RETRY_RESERVE_RESOURCE_REASON, TaskResourcePhase, type TaskResource, type TaskResourceGroup } from '../../crd/resource.ts';
import { isNotFound } from '../../kube/api-errors.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import { rfc3339 } from '../common/controller-context.ts';
import { setResourceCondition } from './conditions.ts';
import { taskResourcesOf, type TrgDeps } from './deps.ts';

export const TaskResourceReasons = {
  schedulable: 'Pods belonging to task resource group can be bound',
  reserveFailed: 'Task resource group state changed to reserve-failed, so set the task resource status to failed',
  // Kuscia's text, full-width comma included.
  groupFailed: 'Task resource group state change to failed，so set the sub task resource to failed',
  retry: 'Retry to reserve resource',
} as const;

type FinalPhase = typeof TaskResourcePhase.Schedulable | typeof TaskResourcePhase.Failed;

async function writeTaskResource(deps: TrgDeps, tr: TaskResource, mutate: (copy: TaskResource) => boolean): Promise<void> {
  const { namespace = '', name = '' } = tr.metadata;
  try {
    const typed = (copy: TaskResource) => {
      // Items of a list may come without their type; a PUT needs it.
      copy.apiVersion ??= API_VERSION;
      copy.kind ??= 'TaskResource';
      return mutate(copy);
    };
    const stored = await updateStatusWithRetry(deps.clients.taskResources, namespace, name, typed, { current: tr });
    deps.ownTaskResourceWrites.record(tr, stored);
  } catch (err) {
    // Deleted meanwhile (its group is going away): nothing left to mark.
    if (!isNotFound(err)) throw err;
  }
}

/** Moves one TaskResource to Schedulable or Failed (a final phase: completionTime set). */
export function markTaskResource(deps: TrgDeps, tr: TaskResource, phase: FinalPhase, reason: string): Promise<void> {
  return writeTaskResource(deps, tr, (copy) => {
    if (copy.status?.phase === phase) return false;
    const now = rfc3339(deps.now());
    const status = (copy.status ??= { phase });
    status.phase = phase;
    status.lastTransitionTime = now;
    status.completionTime = now;
    setResourceCondition(status, phase, 'True', reason, now);
    return true;
  });
}

/**
 * Every TaskResource of the group to `phase`, in parallel (the scheduler waits on them). `fromApi`
 * lists them from the API instead of the cache: a group failing right after creating its
 * TaskResources must not miss one the cache has not seen yet.
 */
export async function markGroupTaskResources(deps: TrgDeps, trg: TaskResourceGroup, phase: FinalPhase, reason: string, fromApi = false): Promise<void> {
  const trs = fromApi
    ? (await deps.clients.taskResources.list(undefined, { labelSelector: `${Labels.TaskResourceGroupUID}=${trg.metadata.uid ?? ''}` })).items
    : taskResourcesOf(deps, trg);
  await Promise.all(trs.map((tr) => markTaskResource(deps, tr, phase, reason)));
}

/**
 * A retry after ReserveFailed: back to Reserving, its Reserved condition False with Kuscia's
 * retry reason (the scheduler reads it to know the old reservation is void).
 */
export function resetTaskResourceForRetry(deps: TrgDeps, tr: TaskResource): Promise<void> {
  return writeTaskResource(deps, tr, (copy) => {
    if (copy.status?.phase === TaskResourcePhase.Reserving) return false;
    const now = rfc3339(deps.now());
    const status = (copy.status ??= { phase: TaskResourcePhase.Reserving });
    status.phase = TaskResourcePhase.Reserving;
    status.lastTransitionTime = now;
    delete status.completionTime;
    setResourceCondition(status, TaskResourcePhase.Reserving, 'True', TaskResourceReasons.retry, now);
    setResourceCondition(status, TaskResourcePhase.Reserved, 'False', RETRY_RESERVE_RESOURCE_REASON, now);
    return true;
  });
}
