/**
 * The TaskResource status changes the scheduler makes, with Kuscia's texts. TaskResource conditions
 * have no `message` field (Kuscia's TaskResourceCondition is type/status/reason/time), so the human
 * explanation goes into `reason`, as Kuscia itself does.
 */
import { Labels } from '../crd/constants.ts';
import { RETRY_RESERVE_RESOURCE_REASON, TaskResourcePhase, type TaskResource, type TaskResourceConditionType } from '../crd/resource.ts';

/** Kuscia's reason when a party's minimum set of pods holds its resources. */
export const RESERVED_REASON = 'The min set of pods has already reserved resource';

/**
 * Moves the TaskResource to `phase`, as Kuscia's patchTaskResource does: only on a real change, with
 * the condition of the same name set True with `reason`, and both transition times bumped.
 */
export function setTaskResourcePhase(tr: TaskResource, phase: TaskResourcePhase, reason: string, now: string): boolean {
  if (tr.status?.phase === phase) return false;
  const status = (tr.status ??= { phase });
  status.phase = phase;
  status.lastTransitionTime = now;
  const conditions = (status.conditions ??= []);
  let cond = conditions.find((c) => c.type === phase);
  if (!cond) conditions.push((cond = { type: phase, status: 'True' }));
  cond.status = 'True';
  cond.reason = reason;
  cond.lastTransitionTime = now;
  return true;
}

/** Rewrites one condition's reason without touching its status or transition time; false when unchanged. */
export function setConditionReason(tr: TaskResource, type: TaskResourceConditionType, reason: string, now: string): boolean {
  const status = (tr.status ??= { phase: TaskResourcePhase.Reserving });
  const conditions = (status.conditions ??= []);
  const cond = conditions.find((c) => c.type === type);
  if (cond?.reason === reason) return false;
  if (cond) cond.reason = reason;
  else conditions.push({ type, status: 'True', reason, lastTransitionTime: now });
  return true;
}

export function conditionReason(tr: TaskResource, type: TaskResourceConditionType): string | undefined {
  return tr.status?.conditions?.find((c) => c.type === type)?.reason;
}

/**
 * Kuscia's buildSiblingStatusInfo: which parties of the same TaskResourceGroup have not reserved
 * (a Reserved condition that is True, or False only because of a retry, counts as reserved).
 * `siblings` are the TaskResources carrying the same task-resource-group-uid label.
 */
export function siblingStatusInfo(siblings: readonly TaskResource[]): string {
  const unreserved: string[] = [];
  for (const tr of siblings) {
    const cond = tr.status?.conditions?.find((c) => c.type === TaskResourcePhase.Reserved);
    const lastReserved = cond !== undefined && (cond.status === 'True' || (cond.status === 'False' && cond.reason === RETRY_RESERVE_RESOURCE_REASON));
    if (!lastReserved) unreserved.push(tr.metadata?.namespace ?? '');
  }
  return unreserved.length > 0 ? `domain [${unreserved.sort().join(',')}] can not reserve resources for pods` : '';
}

export function taskResourceGroupUid(tr: TaskResource): string | undefined {
  return tr.metadata?.labels?.[Labels.TaskResourceGroupUID] || undefined;
}
