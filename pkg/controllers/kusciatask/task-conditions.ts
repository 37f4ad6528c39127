/** KusciaTask conditions: set in place; lastTransitionTime moves only when the status changes. */
import type { ConditionStatus, KusciaTaskConditionType, KusciaTaskStatus } from '../../crd/index.ts';
import { upsertCondition } from '../common/conditions.ts';

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
  upsertCondition((status.conditions ??= []), type, conditionStatus, now, reason, message);
}
