/**
 * A Pending task (Kuscia: PendingHandler): allocate ports once, create its objects once, then wait
 * for a pod to start (→ Running) or the TaskResourceGroup to fail (→ Failed). Works on a copy of the
 * task; returns whether its status changed.
 */
import { KusciaTaskConditionType, type KusciaTask } from '../../crd/index.ts';
import { rfc3339 } from '../common/controller-context.ts';
import { createTaskResources } from './create-resources.ts';
import { PermitDeniedError, TASK_CREATE_FAILED_REASON } from './errors.ts';
import type { TaskControllerDeps } from './deps.ts';
import { taskResourceGroupOf } from './lookups.ts';
import { ensurePartyStatuses } from './party-statuses.ts';
import { allocateTaskPorts } from './port-assignment.ts';
import { anyPodStarted, refreshResourceStatuses } from './refresh-statuses.ts';
import { sameJson } from './same-json.ts';
import { findTaskCondition, isTaskConditionTrue, setTaskCondition } from './task-conditions.ts';
import { buildTaskKits } from './task-kits.ts';
import { pendingFailFast, verdictFromTaskResourceGroup } from './task-phase.ts';
import { minReservedMembersOf, scheduleOf } from './task-resource-group.ts';

export async function reconcilePending(deps: TaskControllerDeps, task: KusciaTask): Promise<boolean> {
  const status = (task.status ??= {});
  const now = rfc3339(deps.now());
  if (!status.startTime) status.startTime = now;
  if (!status.phase) status.phase = 'Pending';

  if (!findTaskCondition(status, KusciaTaskConditionType.PortsAllocated)) {
    const kits = await buildTaskKits(deps, task);
    if ((status.allocatedPorts ?? []).length === 0) {
      status.allocatedPorts = allocateTaskPorts(deps.allocator, task, kits.filter((k) => !k.partner));
    }
    setTaskCondition(status, KusciaTaskConditionType.PortsAllocated, 'True', now);
    return true;
  }

  if (!isTaskConditionTrue(status, KusciaTaskConditionType.ResourceCreated)) {
    // The cache may be behind our own last write: never create twice for a task already done.
    const latest = await deps.clients.kusciaTasks.get(task.metadata.namespace ?? '', task.metadata.name ?? '');
    if (latest.metadata.uid !== task.metadata.uid || isTaskConditionTrue(latest.status, KusciaTaskConditionType.ResourceCreated)) return false;
    const key = `${task.metadata.namespace}/${task.metadata.name}`;
    let created;
    try {
      created = await createTaskResources(deps, task, await buildTaskKits(deps, task));
    } catch (err) {
      if (!(err instanceof PermitDeniedError)) throw err;
      return waitForCapacity(deps, task, key, err, now);
    }
    deps.resourceWaits.done(key);
    status.podStatuses = created.podStatuses;
    status.serviceStatuses = created.serviceStatuses;
    setTaskCondition(status, KusciaTaskConditionType.ResourceCreated, 'True', now);
    return true;
  }

  const before = structuredClone(status);
  ensurePartyStatuses(task);
  await refreshResourceStatuses(deps, status);
  const changed = !sameJson(before, status);

  const failFast = pendingFailFast(status.partyTaskStatus ?? [], task.spec.parties.length, minReservedMembersOf(task));
  if (failFast) {
    status.phase = failFast.phase;
    status.message = failFast.message;
    return true;
  }
  if (anyPodStarted(deps, status)) {
    status.phase = 'Running';
    return true;
  }
  const verdict = verdictFromTaskResourceGroup(await taskResourceGroupOf(deps, task));
  if (verdict.phase === 'Failed') {
    status.phase = 'Failed';
    if (verdict.reason) status.reason = verdict.reason;
    if (verdict.message) status.message = verdict.message;
    return true;
  }
  return changed;
}

/**
 * No room for a party yet: say so in the ResourceCreated condition and check again later, until the
 * task's lifecycle (scheduleConfig.lifecycleSeconds, counted from its start) is over; then it fails.
 */
function waitForCapacity(deps: TaskControllerDeps, task: KusciaTask, key: string, denied: PermitDeniedError, now: string): boolean {
  const status = task.status!;
  const before = structuredClone(status);
  setTaskCondition(status, KusciaTaskConditionType.ResourceCreated, 'False', now, TASK_CREATE_FAILED_REASON, denied.message);
  const lifecycleSeconds = scheduleOf(task).lifecycleSeconds;
  const deadline = Date.parse(status.startTime ?? now) + lifecycleSeconds * 1000;
  if (deps.now() < deadline) {
    deps.resourceWaits.wait(key, deadline);
    return !sameJson(before, status);
  }
  deps.resourceWaits.done(key);
  status.phase = 'Failed';
  status.reason = TASK_CREATE_FAILED_REASON;
  status.message = `The task could not be created within ${lifecycleSeconds} seconds of its entire lifecycle: ${denied.message}`;
  return true;
}
