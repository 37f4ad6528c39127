import type { Pod } from '../../kube/wire.ts';

type PodStatus = NonNullable<Pod['status']>;

export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * The status of a pod whose node stopped answering: Failed with reason NodeLost (the node
 * controller's wording), not ready, and every unfinished container terminated as the kubelet
 * reports containers it can no longer find (137, ContainerStatusUnknown). Owners such as the
 * KusciaTask controller then see the pod fail instead of waiting for a node that is gone.
 */
export function lostPodStatus(pod: Pod, nodeName: string, now: string): PodStatus {
  const old = pod.status ?? {};
  const terminate = <C extends { state?: unknown; ready?: boolean; started?: boolean }>(c: C): C => {
    const state = (c.state ?? {}) as { terminated?: unknown; running?: { startedAt?: string } };
    if (state.terminated) return c;
    return {
      ...c,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode: 137,
          reason: 'ContainerStatusUnknown',
          message: 'The container could not be located when the pod was terminated',
          ...(state.running?.startedAt ? { startedAt: state.running.startedAt } : {}),
          finishedAt: now,
        },
      },
    };
  };
  const notReady = new Set(['Ready', 'ContainersReady']);
  return {
    ...old,
    phase: 'Failed',
    reason: 'NodeLost',
    message: `Node ${nodeName} which was running pod ${pod.metadata?.name} is unresponsive`,
    conditions: (old.conditions ?? []).map((c) => (notReady.has(c.type) && c.status !== 'False' ? { ...c, status: 'False', lastTransitionTime: now as never } : c)),
    containerStatuses: old.containerStatuses?.map(terminate),
    initContainerStatuses: old.initContainerStatuses?.map(terminate),
  };
}
