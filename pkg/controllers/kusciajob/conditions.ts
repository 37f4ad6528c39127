/** KusciaJob conditions (Go: utilsres.SetKusciaJobCondition). */
import type { ConditionStatus, KusciaJobCondition, KusciaJobConditionType, KusciaJobStatus } from '../../crd/index.ts';

export function jobCondition(status: KusciaJobStatus, type: KusciaJobConditionType): KusciaJobCondition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

/**
 * Sets (or adds) a condition. lastTransitionTime moves only when the status changes, as in
 * Kubernetes; empty reason and message are left out, as Go's omitempty does.
 */
export function setJobCondition(
  status: KusciaJobStatus,
  type: KusciaJobConditionType,
  conditionStatus: ConditionStatus,
  now: string,
  reason = '',
  message = '',
): void {
  const conditions = (status.conditions ??= []);
  let condition = conditions.find((c) => c.type === type);
  if (!condition) {
    condition = { type, status: conditionStatus, lastTransitionTime: now };
    conditions.push(condition);
  } else if (condition.status !== conditionStatus) {
    condition.status = conditionStatus;
    condition.lastTransitionTime = now;
  }
  if (reason) condition.reason = reason;
  else delete condition.reason;
  if (message) condition.message = message;
  else delete condition.message;
}
