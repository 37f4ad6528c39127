/**
 * Condition bookkeeping for both kinds. Neither TaskResourceGroup nor TaskResource conditions have a
 * `message` field in Kuscia's API: the human-readable text goes into `reason`.
 */
import type { ConditionStatus } from '../../crd/common.ts';
import type {
  TaskResourceCondition,
  TaskResourceConditionType,
  TaskResourceGroupCondition,
  TaskResourceGroupConditionType,
  TaskResourceGroupStatus,
  TaskResourceStatus,
} from '../../crd/resource.ts';

type AnyCondition = TaskResourceGroupCondition | TaskResourceCondition;

/**
 * Sets condition `type` in `conditions` (in place). lastTransitionTime moves only when the status
 * changes, as Kubernetes conditions do. Returns whether anything changed.
 */
function setCondition<C extends AnyCondition>(conditions: C[], type: C['type'], status: ConditionStatus, reason: string, now: string): boolean {
  const existing = conditions.find((c) => c.type === type);
  if (!existing) {
    // An empty reason is left out, as Go's omitempty does.
    conditions.push({ type, status, ...(reason ? { reason } : {}), lastTransitionTime: now } as C);
    return true;
  }
  let changed = false;
  if (existing.status !== status) {
    existing.status = status;
    existing.lastTransitionTime = now;
    changed = true;
  }
  if ((existing.reason ?? '') !== reason) {
    if (reason) existing.reason = reason;
    else delete existing.reason;
    changed = true;
  }
  return changed;
}

export function setGroupCondition(
  status: TaskResourceGroupStatus,
  type: TaskResourceGroupConditionType,
  conditionStatus: ConditionStatus,
  reason: string,
  now: string,
): boolean {
  status.conditions ??= [];
  return setCondition(status.conditions, type, conditionStatus, reason, now);
}

export function hasGroupCondition(status: TaskResourceGroupStatus | undefined, type: TaskResourceGroupConditionType): boolean {
  return (status?.conditions ?? []).some((c) => c.type === type);
}

export function setResourceCondition(
  status: TaskResourceStatus,
  type: TaskResourceConditionType,
  conditionStatus: ConditionStatus,
  reason: string,
  now: string,
): boolean {
  status.conditions ??= [];
  return setCondition(status.conditions, type, conditionStatus, reason, now);
}
