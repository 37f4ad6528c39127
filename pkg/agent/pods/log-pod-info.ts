import type { Pod } from '../../kube/wire.ts';
import type { LogPodInfo } from '../logs/log-server.ts';
import type { PodStatus } from '../runtime/pod-runtime.ts';

/**
 * What the log server needs about a pod: its containers, the restart count that names each
 * container's current log file, and which containers wait, run or are done. From the runtime's
 * status when it has the pod (newest), else from the API's.
 */
export function logPodInfo(pod: Pod, runtimeStatus: PodStatus | undefined): LogPodInfo {
  const status = runtimeStatus ?? pod.status ?? {};
  const statuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  const restartCounts: Record<string, number> = {};
  const waiting: Record<string, string> = {};
  const running: string[] = [];
  for (const name of containers) {
    const s = statuses.find((c) => c.name === name);
    restartCounts[name] = s?.restartCount ?? 0;
    if (s?.state?.running) running.push(name);
    else if (!s) waiting[name] = 'ContainerCreating';
    else if (s.state?.waiting) waiting[name] = s.state.waiting.reason ?? 'ContainerCreating';
  }
  return { uid: pod.metadata?.uid ?? '', containers, restartCounts, waiting, running, finished: status.phase === 'Succeeded' || status.phase === 'Failed' };
}
