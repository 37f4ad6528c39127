/**
 * A test double for a PodRuntime: no processes, containers do what the test decides per pod. It
 * records what the agent handed it (resolved env and mounts), the kills with their grace periods,
 * and removals, and pushes kubelet-shaped statuses like a real runtime. The agent under test is real.
 */
import type { ContainerStatus } from '../../../../pkg/agent/runtime/pod-status.ts';
import type { PodRuntime, PodStatus, ResolvedPod, RuntimePodRef } from '../../../../pkg/agent/runtime/pod-runtime.ts';

export type ContainerOutcome = { run: 'forever' } | { exitAfterMs: number; exitCode: number; message?: string };

export interface FakeRuntime extends PodRuntime {
  readonly created: ResolvedPod[];
  readonly kills: Array<{ uid: string; gracePeriodSeconds: number }>;
  readonly removed: string[];
  /** Puts a pod in the runtime as if an earlier agent run had started it (for adoption tests). */
  preload(ref: RuntimePodRef): void;
  stopped: boolean;
}

export function fakeRuntime(outcome: (pod: ResolvedPod) => ContainerOutcome = () => ({ run: 'forever' })): FakeRuntime {
  const pods = new Map<string, { ref: RuntimePodRef; status: PodStatus; timer?: NodeJS.Timeout; containers: string[] }>();
  const listeners: Array<(ref: RuntimePodRef, status: PodStatus) => void> = [];
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const push = (uid: string, status: PodStatus) => {
    const p = pods.get(uid);
    if (!p) return;
    p.status = status;
    for (const l of listeners) l(p.ref, status);
  };
  const containerStatus = (name: string, state: ContainerStatus['state'], ready: boolean): ContainerStatus => ({
    name,
    image: 'fake',
    imageID: 'fake',
    containerID: `fake://${name}`,
    ready,
    started: ready,
    restartCount: 0,
    state,
  });
  const cond = (type: string, ok: boolean, since: string, reason?: string) => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: since, ...(reason ? { reason } : {}) });
  const running = (names: string[], since: string): PodStatus => ({
    phase: 'Running',
    conditions: [cond('Initialized', true, since), cond('Ready', true, since), cond('ContainersReady', true, since)],
    containerStatuses: names.map((n) => containerStatus(n, { running: { startedAt: since } }, true)),
  });
  const terminated = (names: string[], since: string, exitCode: number, reason: string, message?: string): PodStatus => {
    const at = now();
    return {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      conditions: [cond('Initialized', true, since), cond('Ready', false, at, 'PodCompleted'), cond('ContainersReady', false, at, 'PodCompleted')],
      containerStatuses: names.map((n) =>
        containerStatus(n, { terminated: { exitCode, reason, startedAt: since, finishedAt: at, ...(message ? { message } : {}) } }, false),
      ),
    };
  };

  const runtime: FakeRuntime = {
    name: 'runp',
    created: [],
    kills: [],
    removed: [],
    stopped: false,
    async start() {},
    async stop() {
      runtime.stopped = true;
      for (const uid of [...pods.keys()]) await runtime.killPod(uid, 0);
    },
    async createPod(resolved) {
      const uid = resolved.pod.metadata?.uid ?? '';
      if (pods.has(uid)) return;
      runtime.created.push(resolved);
      const names = (resolved.pod.spec?.containers ?? []).map((c) => c.name);
      const ref = { uid, namespace: resolved.pod.metadata?.namespace ?? '', name: resolved.pod.metadata?.name ?? '' };
      const since = now();
      pods.set(uid, { ref, status: running(names, since), containers: names });
      push(uid, running(names, since));
      const o = outcome(resolved);
      if ('exitAfterMs' in o) {
        pods.get(uid)!.timer = setTimeout(() => push(uid, terminated(names, since, o.exitCode, o.exitCode === 0 ? 'Completed' : 'Error', o.message)), o.exitAfterMs);
      }
    },
    async killPod(uid, gracePeriodSeconds) {
      runtime.kills.push({ uid, gracePeriodSeconds });
      const p = pods.get(uid);
      if (!p) return;
      clearTimeout(p.timer);
      if (p.status.phase === 'Running' || p.status.phase === 'Pending') {
        // As if the process exited on SIGTERM: 143.
        push(uid, terminated(p.containers, p.status.startTime ?? now(), 143, 'Error'));
      }
    },
    async removePod(uid) {
      runtime.removed.push(uid);
      pods.delete(uid);
    },
    getPodStatus: (uid) => pods.get(uid)?.status,
    listPods: () => [...pods.values()].map((p) => p.ref),
    onPodStatus(listener) {
      listeners.push(listener);
    },
    preload(ref) {
      pods.set(ref.uid, { ref, status: running(['main'], now()), containers: ['main'] });
    },
  };
  return runtime;
}
