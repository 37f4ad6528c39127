/**
 * The two terminal phases (Kuscia: SucceededHandler, FailedHandler over FinishedHandler): stop what
 * still runs, clean up, and stamp completionTime, after which the controller leaves the task alone.
 * A succeeded task leaves nothing behind; a failed one keeps its failed pods, ConfigMaps and
 * TaskResourceGroup for diagnosis until the task itself is deleted.
 */
import { Labels, TaskResourceGroupConditionType, type KusciaTask } from '../../crd/index.ts';
import { isNotFound } from '../../kube/api-errors.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import { rfc3339 } from '../common/controller-context.ts';
import type { TaskControllerDeps } from './deps.ts';
import { deleteOwned } from './delete-object.ts';
import { BY_TASK_UID } from './indexes.ts';

export async function reconcileSucceeded(deps: TaskControllerDeps, task: KusciaTask): Promise<boolean> {
  await deleteUnfailedPods(deps, task);
  const uid = task.metadata.uid ?? '';
  for (const cm of deps.configMaps.byIndex(BY_TASK_UID, uid)) {
    await deleteOwned(deps.clients.configMaps, cm);
  }
  const trg = deps.taskResourceGroups.get('', task.metadata.name ?? '');
  if (trg && trg.metadata.labels?.[Labels.TaskUID] === uid) {
    await deleteOwned(deps.clients.taskResourceGroups, trg);
  }
  (task.status ??= {}).completionTime = rfc3339(deps.now());
  return true;
}

export async function reconcileFailed(deps: TaskControllerDeps, task: KusciaTask): Promise<boolean> {
  await failTaskResourceGroup(deps, task);
  const status = (task.status ??= {});
  if ((status.partyTaskStatus ?? []).length === 0) {
    status.partyTaskStatus = task.spec.parties.map((p) => ({ domainID: p.domainID, role: p.role ?? '', phase: 'Failed' }));
  } else {
    for (const party of status.partyTaskStatus!) if (party.phase === 'Pending' || party.phase === 'Running') party.phase = 'Failed';
  }
  for (const pod of Object.values(status.podStatuses ?? {})) if (pod.podPhase === 'Pending' || pod.podPhase === 'Running') pod.podPhase = 'Failed';
  await deleteUnfailedPods(deps, task);
  status.completionTime = rfc3339(deps.now());
  return true;
}

/** A failed task's group fails too (releasing reservations), unless it already failed or was granted. */
async function failTaskResourceGroup(deps: TaskControllerDeps, task: KusciaTask): Promise<void> {
  const name = task.metadata.name ?? '';
  const trg = deps.taskResourceGroups.get('', name);
  if (!trg || trg.metadata.labels?.[Labels.TaskUID] !== task.metadata.uid) return;
  const now = rfc3339(deps.now());
  try {
    await updateStatusWithRetry(
      deps.clients.taskResourceGroups,
      '',
      name,
      (fresh) => {
        const phase = fresh.status?.phase;
        if (phase === 'Failed' || phase === 'Reserved') return false;
        const status = (fresh.status ??= {});
        status.phase = 'Failed';
        status.lastTransitionTime = now;
        status.conditions ??= [];
        const existing = status.conditions.find((c) => c.type === TaskResourceGroupConditionType.DependentTaskFailed);
        if (!existing) status.conditions.push({ type: TaskResourceGroupConditionType.DependentTaskFailed, status: 'True', lastTransitionTime: now });
        else if (existing.status !== 'True') Object.assign(existing, { status: 'True', lastTransitionTime: now });
        return true;
      },
      { current: trg },
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Pods that did not fail are stopped; failed ones stay so their logs and status can be read. */
async function deleteUnfailedPods(deps: TaskControllerDeps, task: KusciaTask): Promise<void> {
  for (const pod of deps.pods.byIndex(BY_TASK_UID, task.metadata.uid ?? '')) {
    if (pod.status?.phase === 'Failed' || pod.metadata?.deletionTimestamp) continue;
    await deleteOwned(deps.clients.pods, pod);
  }
}
