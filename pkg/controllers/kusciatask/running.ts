/**
 * A Running task (Kuscia: RunningHandler): it follows its TaskResourceGroup, and once the group is
 * Reserved its parties' phases decide: Failed when fewer than minReservedMembers parties can still
 * succeed, Succeeded when that many did. Returns whether the status changed.
 */
import { KusciaTaskConditionType, TaskResourceGroupPhase, type KusciaTask, type KusciaTaskStatus } from '../../crd/index.ts';
import { rfc3339 } from '../common/controller-context.ts';
import type { TaskControllerDeps } from './deps.ts';
import { taskResourceGroupOf } from './lookups.ts';
import { computePartyStatuses } from './party-statuses.ts';
import { refreshResourceStatuses } from './refresh-statuses.ts';
import { sameJson } from './same-json.ts';
import { setTaskCondition } from './task-conditions.ts';
import { taskPhaseFromParties, verdictFromTaskResourceGroup } from './task-phase.ts';

export async function reconcileRunning(deps: TaskControllerDeps, task: KusciaTask): Promise<boolean> {
  const trg = await taskResourceGroupOf(deps, task);
  const status = (task.status ??= {});
  const before = structuredClone(status);
  const verdict = verdictFromTaskResourceGroup(trg);
  status.phase = verdict.phase;
  if (verdict.reason) status.reason = verdict.reason;
  if (verdict.message) status.message = verdict.message;
  if (trg.status?.phase === TaskResourceGroupPhase.Reserved) {
    status.partyTaskStatus = await computePartyStatuses(deps, task, trg);
    const fromParties = taskPhaseFromParties(status.partyTaskStatus, trg.spec.minReservedMembers);
    if (fromParties) {
      status.phase = fromParties.phase;
      if (fromParties.message) status.message = fromParties.message;
    }
  }
  await refreshResourceStatuses(deps, status);
  fillPhaseCondition(status, rfc3339(deps.now()));
  return !sameJson(before, status);
}

/** Running → Running=True; Succeeded → Success=True; Failed → Success=False. */
function fillPhaseCondition(status: KusciaTaskStatus, now: string): void {
  if (status.phase === 'Running') setTaskCondition(status, KusciaTaskConditionType.Running, 'True', now);
  else if (status.phase === 'Succeeded') setTaskCondition(status, KusciaTaskConditionType.Success, 'True', now);
  else if (status.phase === 'Failed') setTaskCondition(status, KusciaTaskConditionType.Success, 'False', now);
}
