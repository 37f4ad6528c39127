import type { V1ContainerStatus, V1PodCondition } from '@kubernetes/client-node';
import type { Pod, Wire } from '../../kube/wire.ts';

export type ContainerStatus = Wire<V1ContainerStatus>;
export type PodCondition = Wire<V1PodCondition>;
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/**
 * The pod phase from its containers' states, as the kubelet's getPhase computes it (Kubernetes 1.33,
 * without sidecar init containers, which Kuscia never uses). `podIsTerminal`: the pod is being
 * stopped for good (deleted, or every container finished for good), so containers that are down
 * decide the phase regardless of the restart policy.
 */
export function podPhase(pod: Pod, statuses: ContainerStatus[], initStatuses: ContainerStatus[], podIsTerminal: boolean): PodPhase {
  const spec = pod.spec ?? { containers: [] };
  const restartPolicy = spec.restartPolicy ?? 'Always';
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const c of spec.initContainers ?? []) {
    const s = initStatuses.find((x) => x.name === c.name);
    if (!s || s.state?.running) pendingInitialization++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInitialization++;
      } else pendingInitialization++;
    } else pendingInitialization++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  let anyStarted = false;
  for (const c of spec.containers) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state?.running || s.state?.terminated || s.lastState?.terminated) anyStarted = true;
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInitialization > 0 && restartPolicy === 'Never') return 'Failed';
  if ((pendingInitialization > 0 && !anyStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/**
 * The conditions the kubelet owns (PodScheduled is the scheduler's): PodReadyToStartContainers,
 * Initialized, ContainersReady, Ready, with the kubelet's reasons and messages. `previous` keeps
 * lastTransitionTime stable while a condition's status does not change.
 */
export function podConditions(
  pod: Pod,
  phase: PodPhase,
  statuses: ContainerStatus[],
  initStatuses: ContainerStatus[],
  sandboxReady: boolean,
  now: Date,
  previous: PodCondition[] = [],
): PodCondition[] {
  const spec = pod.spec ?? { containers: [] };
  const stamp = (type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition => {
    const before = previous.find((c) => c.type === type);
    const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : kubeTime(now);
    const c: PodCondition = { type, status, lastTransitionTime };
    if (reason) c.reason = reason;
    if (message) c.message = message;
    return c;
  };

  const incompleteInit = (spec.initContainers ?? [])
    .filter((c) => {
      const s = initStatuses.find((x) => x.name === c.name);
      return !(s?.state?.terminated && s.state.terminated.exitCode === 0);
    })
    .map((c) => c.name);
  const initialized =
    incompleteInit.length === 0 || phase === 'Succeeded'
      ? stamp('Initialized', 'True', phase === 'Succeeded' && incompleteInit.length > 0 ? 'PodCompleted' : undefined)
      : stamp('Initialized', 'False', 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`);

  const unready = spec.containers.filter((c) => !statuses.find((x) => x.name === c.name)?.ready).map((c) => c.name);
  const readiness = (type: string): PodCondition => {
    if (phase === 'Succeeded') return stamp(type, 'False', 'PodCompleted');
    if (unready.length === 0) return stamp(type, 'True');
    return stamp(type, 'False', 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
  };

  return [
    stamp('PodReadyToStartContainers', sandboxReady ? 'True' : 'False'),
    initialized,
    readiness('Ready'),
    readiness('ContainersReady'),
  ];
}

/** Kubernetes writes condition and state times with second precision. */
export function kubeTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}
