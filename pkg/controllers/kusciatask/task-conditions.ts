/** KusciaTask conditions: set in place; lastTransitionTime moves only when the status changes. */
import type { ConditionStatus, KusciaTaskConditionType, KusciaTaskStatus } from '../../crd/index.ts';

export function findTaskCondition(status: KusciaTaskStatus | undefined, type: KusciaTaskConditionType) {
  return (status?.conditions ?? []).find((c) => c.type === type);
}

export function isTaskConditionTrue(status: KusciaTaskStatus | undefined, type: KusciaTaskConditionType): boolean {
  return findTaskCondition(status, type)?.status === 'True';
}

export function setTaskCondition(
  status: KusciaTaskStatus,
  type: KusciaTaskConditionType,
  conditionStatus: ConditionStatus,
  now: string,
  reason = '',
  message = '',
): void {
  status.conditions ??= [];
  let condition = status.conditions.find((c) => c.type === type);
  if (!condition) {
    condition = { type, status: conditionStatus, lastTransitionTime: now };
    status.conditions.push(condition);
  } else if (condition.status !== conditionStatus) {
    condition.status = conditionStatus;
    condition.lastTransitionTime = now;
  }
  // Empty strings are left out, as Go's omitempty does.
  if (reason) condition.reason = reason;
  else delete condition.reason;
  if (message) condition.message = message;
  else delete condition.message;
}
