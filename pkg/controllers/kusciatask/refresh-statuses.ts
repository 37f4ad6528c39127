/** Brings status.podStatuses and status.serviceStatuses up to date with the live objects. */
import type { KusciaTaskStatus } from '../../crd/index.ts';
import type { TaskControllerDeps } from './deps.ts';
import { livePod, liveService } from './lookups.ts';
import { isFinalPodStatus, missingPodStatus, missingServiceStatus, podStatusOf, refreshServiceStatus } from './resource-status.ts';

export async function refreshResourceStatuses(deps: TaskControllerDeps, status: KusciaTaskStatus): Promise<void> {
  for (const [key, entry] of Object.entries(status.podStatuses ?? {})) {
    if (isFinalPodStatus(entry)) continue;
    const pod = await livePod(deps, entry.namespace, entry.podName);
    status.podStatuses![key] = pod ? podStatusOf(pod) : missingPodStatus(entry);
  }
  for (const [key, entry] of Object.entries(status.serviceStatuses ?? {})) {
    const service = await liveService(deps, entry.namespace, entry.serviceName);
    status.serviceStatuses![key] = service ? refreshServiceStatus(entry, service) : missingServiceStatus(entry);
  }
}

/** A task is running once any of its pods left Pending (Kuscia looks at the cache only). */
export function anyPodStarted(deps: TaskControllerDeps, status: KusciaTaskStatus): boolean {
  return Object.values(status.podStatuses ?? {}).some((entry) => {
    const phase = deps.pods.get(entry.namespace, entry.podName)?.status?.phase;
    return phase !== undefined && phase !== 'Pending';
  });
}
