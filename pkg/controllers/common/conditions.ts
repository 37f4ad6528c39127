import type { ConditionStatus, Time } from '../../crd/common.ts';

/** A Kuscia condition; TaskResourceGroup and TaskResource conditions have no message field. */
interface AnyCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: Time;
}

/**
 * Sets condition `type` in `conditions` in place, the way every Kuscia controller does:
 * lastTransitionTime moves only when the status changes (as Kubernetes conditions do), and empty
 * reason/message are left out (Go's omitempty). `message` undefined leaves the field alone, for kinds
 * without one. Returns whether anything changed.
 */
export function upsertCondition<C extends AnyCondition>(
  conditions: C[],
  type: C['type'],
  status: ConditionStatus,
  now: string,
  reason = '',
  message?: string,
): boolean {
  let condition = conditions.find((c) => c.type === type);
  let changed = false;
  if (!condition) {
    condition = { type, status, lastTransitionTime: now } as C;
    conditions.push(condition);
    changed = true;
  } else if (condition.status !== status) {
    condition.status = status;
    condition.lastTransitionTime = now;
    changed = true;
  }
  changed = setOptional(condition, 'reason', reason) || changed;
  if (message !== undefined) changed = setOptional(condition, 'message', message) || changed;
  return changed;
}

function setOptional(condition: AnyCondition, field: 'reason' | 'message', value: string): boolean {
  if ((condition[field] ?? '') === value) return false;
  if (value) condition[field] = value;
  else delete condition[field];
  return true;
}
