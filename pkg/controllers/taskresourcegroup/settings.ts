/**
 * The timings of a TaskResourceGroup. The CRD has no schema defaults for them, so (as Kuscia does)
 * an omitted or non-positive value means the default when the controller reads the spec.
 */
import type { TaskResourceGroup } from '../../crd/resource.ts';

export const DEFAULT_RESOURCE_RESERVED_SECONDS = 30;
export const DEFAULT_LIFECYCLE_SECONDS = 300;
export const DEFAULT_RETRY_INTERVAL_SECONDS = 30;

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && value > 0 ? value : fallback;
}

export function resourceReservedSecondsOf(trg: TaskResourceGroup): number {
  return positiveOr(trg.spec.resourceReservedSeconds, DEFAULT_RESOURCE_RESERVED_SECONDS);
}

export function lifecycleSecondsOf(trg: TaskResourceGroup): number {
  return positiveOr(trg.spec.lifecycleSeconds, DEFAULT_LIFECYCLE_SECONDS);
}

export function retryIntervalSecondsOf(trg: TaskResourceGroup): number {
  return positiveOr(trg.spec.retryIntervalSeconds, DEFAULT_RETRY_INTERVAL_SECONDS);
}

/** When the group fails if it has not reserved by then (ms since the epoch), from creationTimestamp: survives restarts. */
export function expiresAtMs(trg: TaskResourceGroup): number {
  const created = Date.parse(trg.metadata.creationTimestamp ?? '');
  return (Number.isNaN(created) ? 0 : created) + lifecycleSecondsOf(trg) * 1000;
}

/** When a ReserveFailed group retries (ms since the epoch): retryIntervalSeconds after its last phase change. */
export function retryAtMs(trg: TaskResourceGroup): number {
  const since = Date.parse(trg.status?.lastTransitionTime ?? '');
  return (Number.isNaN(since) ? 0 : since) + retryIntervalSecondsOf(trg) * 1000;
}
