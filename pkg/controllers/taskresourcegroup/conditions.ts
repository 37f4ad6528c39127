/**
 * Condition bookkeeping for both kinds. Neither TaskResourceGroup nor TaskResource conditions have a
 * `message` field in Kuscia's API: the human-readable text goes into `reason`.
 */
import type { ConditionStatus } from '../../crd/common.ts';
import { upsertCondition } from '../common/conditions.ts';
import type {
  TaskResourceConditionType,
  TaskResourceGroupConditionType,
  TaskResourceGroupStatus,
  TaskResourceStatus,
} from '../../crd/resource.ts';

export function setGroupCondition(
  status: TaskResourceGroupStatus,
  type: TaskResourceGroupConditionType,
  conditionStatus: ConditionStatus,
  reason: string,
  now: string,
): boolean {
  status.conditions ??= [];
  return upsertCondition(status.conditions, type, conditionStatus, now, reason);
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
  return upsertCondition(status.conditions, type, conditionStatus, now, reason);
}
