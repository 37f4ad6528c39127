/** KusciaJob conditions (Go: utilsres.SetKusciaJobCondition). */
import type { ConditionStatus, KusciaJobCondition, KusciaJobConditionType, KusciaJobStatus } from '../../crd/index.ts';
import { upsertCondition } from '../common/conditions.ts';

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
  upsertCondition((status.conditions ??= []), type, conditionStatus, now, reason, message);
}
