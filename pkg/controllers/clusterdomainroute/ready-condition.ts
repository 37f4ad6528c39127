import type { ClusterDomainRouteCondition } from '../../crd/index.ts';
import type { ReadyVerdict } from './reasons.ts';

/** True when the ClusterDomainRoute's Ready condition is True (what the task permit check asks). */
export function isClusterDomainRouteReady(conditions: readonly ClusterDomainRouteCondition[] | undefined): boolean {
  return conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/**
 * `conditions` with Ready set to the verdict, or undefined when it already says that. Both
 * timestamps move when the condition changes; lastTransitionTime only when its status does.
 */
export function withReadyCondition(conditions: readonly ClusterDomainRouteCondition[] | undefined, verdict: ReadyVerdict, now: string): ClusterDomainRouteCondition[] | undefined {
  const list = conditions ?? [];
  const current = list.find((c) => c.type === 'Ready');
  if (current && current.status === verdict.status && (current.reason ?? '') === verdict.reason && (current.message ?? '') === verdict.message) return undefined;
  const next: ClusterDomainRouteCondition = {
    type: 'Ready',
    status: verdict.status,
    lastUpdateTime: now,
    lastTransitionTime: current && current.status === verdict.status ? (current.lastTransitionTime ?? now) : now,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
    ...(verdict.message ? { message: verdict.message } : {}),
  };
  return current ? list.map((c) => (c === current ? next : c)) : [...list, next];
}
