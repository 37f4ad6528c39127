import type { Pod } from '../../kube/wire.ts';
import type { PodInputError } from '../inputs/input-errors.ts';
import type { PodStatus } from '../runtime/pod-runtime.ts';

/**
 * The status the kubelet shows while a pod's inputs cannot be resolved: Pending, every container
 * waiting — the one whose env failed with CreateContainerConfigError and the kubelet's message, the
 * others (and all of them while a volume cannot be mounted) with ContainerCreating.
 */
export function inputErrorStatus(pod: Pod, error: PodInputError, since: string): PodStatus {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const unready = `containers with unready status: [${names.join(' ')}]`;
  const hasInit = (pod.spec?.initContainers?.length ?? 0) > 0;
  const waiting = (name: string) =>
    error.reason === 'CreateContainerConfigError' && name === error.container ? { reason: error.reason, message: error.message } : { reason: 'ContainerCreating' };
  const status = (c: { name: string; image?: string }) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    ready: false,
    started: false,
    restartCount: 0,
    state: { waiting: waiting(c.name) },
  });
  return {
    phase: 'Pending',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'False', lastTransitionTime: since },
      hasInit
        ? { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${(pod.spec?.initContainers ?? []).map((c) => c.name).join(' ')}]`, lastTransitionTime: since }
        : { type: 'Initialized', status: 'True', lastTransitionTime: since },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: unready, lastTransitionTime: since },
      { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: unready, lastTransitionTime: since },
    ],
    ...(hasInit ? { initContainerStatuses: (pod.spec?.initContainers ?? []).map(status) } : {}),
    containerStatuses: (pod.spec?.containers ?? []).map(status),
  };
}
