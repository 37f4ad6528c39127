/**
 * A party's phase from its pods (Kuscia: RunningHandler.getPartyTaskStatus): the party fails as
 * soon as fewer than minReservedPods pods can still succeed, and succeeds once minReservedPods did.
 */
import type { KusciaTaskPhase } from '../../crd/index.ts';
import type { Pod } from '../../kube/wire.ts';
import { isPodFailed } from './pod-failure.ts';

export interface PodCounts {
  total: number;
  running: number;
  succeeded: number;
  failed: number;
}

/** `undefined` stands for a pod that no longer exists: it counts as failed. */
export function countPods(pods: ReadonlyArray<Pod | undefined>): PodCounts {
  const counts: PodCounts = { total: pods.length, running: 0, succeeded: 0, failed: 0 };
  for (const pod of pods) {
    switch (pod?.status?.phase) {
      case 'Pending':
        if (isPodFailed(pod)) counts.failed++;
        break;
      case 'Running':
        if (isPodFailed(pod)) counts.failed++;
        else counts.running++;
        break;
      case 'Succeeded':
        counts.succeeded++;
        break;
      default:
        // Failed, Unknown, or gone.
        counts.failed++;
    }
  }
  return counts;
}

export function partyPhase(counts: PodCounts, minReservedPods: number): KusciaTaskPhase {
  const min = minReservedPods > 0 ? minReservedPods : counts.total;
  if (min > counts.total - counts.failed) return 'Failed';
  if (counts.succeeded >= min) return 'Succeeded';
  if (counts.running > 0) return 'Running';
  return 'Pending';
}
