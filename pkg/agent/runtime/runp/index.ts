import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { agentLogRoot } from '../../logs/layout.ts';
import type { BuiltinImages } from '../../images/builtin-images.ts';
import type { PodRuntime, PodStatus, ResolvedPod, RuntimeOptions, RuntimePodRef } from '../pod-runtime.ts';
import { KUBELET_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { probeMemoryCgroups, type MemoryCgroups } from './cgroup.ts';
import { sweepLeftovers } from './leftover-sweep.ts';
import { PodWorker } from './pod-worker.ts';

export type RunPOptions = RuntimeOptions & {
  images: BuiltinImages;
  /** Crash-loop back-off; the kubelet's (10 s doubling to 300 s) unless a test shortens it. */
  backoff?: BackoffPolicy;
  /** cgroup file system root for memory limits ('' disables them); default /sys/fs/cgroup. */
  cgroupRoot?: string;
  /**
   * Variables every process gets from its node, under the image's and the container's own: the
   * domain gateway as HTTP proxy (a process has no DNS for `<svc>.<domain>.svc`; a container would).
   */
  nodeEnv?: Readonly<Record<string, string>>;
};

const DEFAULT_GRACE_SECONDS = 30;

/**
 * RunP: every container is a process on this host (Kuscia's RunP), in a per-pod sandbox directory
 * (sandbox.ts), with the app taken from the built-in image catalogue (images/builtin-images.ts).
 * Layout under rootDir: `sandboxes/<uid>/`, `logs/` (logs/layout.ts). start() sweeps what a previous
 * agent run left (leftover-sweep.ts).
 */
export function newRunPRuntime(opts: RunPOptions): PodRuntime {
  const log = opts.log.child({ component: 'runp' });
  const now = opts.now ?? (() => new Date());
  const workers = new Map<string, PodWorker>();
  const listeners: Array<(ref: RuntimePodRef, status: PodStatus) => void> = [];
  let cgroups: MemoryCgroups | undefined;
  let warnedNoCgroup = false;

  const publish = (ref: RuntimePodRef, status: PodStatus) => {
    for (const listener of listeners) {
      try {
        listener(ref, status);
      } catch (err) {
        log.warn({ err: (err as Error).message, uid: ref.uid }, 'pod status listener threw');
      }
    }
  };

  return {
    name: 'runp',
    async start() {
      await mkdir(join(opts.rootDir, 'sandboxes'), { recursive: true });
      // Before any pod: a previous agent run that died leaves running processes and sandboxes behind.
      await sweepLeftovers(opts.rootDir, log);
      await mkdir(agentLogRoot(opts.rootDir), { recursive: true });
      cgroups = opts.cgroupRoot === '' ? undefined : await probeMemoryCgroups(opts.cgroupRoot);
      log.info({ memoryCgroups: cgroups?.kind ?? 'none' }, 'runp runtime started');
    },
    async stop() {
      await Promise.all(
        [...workers.values()].map((w) => w.kill(graceOf(w))),
      );
    },
    async createPod(pod: ResolvedPod) {
      const uid = pod.pod.metadata?.uid ?? '';
      if (!uid) throw new Error('pod without metadata.uid');
      if (workers.has(uid)) return;
      const worker = new PodWorker(pod, {
        rootDir: opts.rootDir,
        logRoot: agentLogRoot(opts.rootDir),
        images: opts.images,
        nodeEnv: opts.nodeEnv ?? {},
        cgroups,
        backoff: opts.backoff ?? KUBELET_BACKOFF,
        now,
        log,
        publish,
        limitsNotEnforced: () => {
          if (warnedNoCgroup) return;
          warnedNoCgroup = true;
          log.warn('no writable memory cgroup on this host: container memory limits are not enforced');
        },
      });
      workers.set(uid, worker);
      worker.start();
    },
    async killPod(uid, gracePeriodSeconds) {
      await workers.get(uid)?.kill(gracePeriodSeconds);
    },
    async removePod(uid) {
      const worker = workers.get(uid);
      if (!worker) return;
      await worker.kill(0);
      workers.delete(uid);
      await worker.sandbox.remove();
    },
    getPodStatus: (uid) => workers.get(uid)?.status(),
    listPods: () => [...workers.values()].map((w) => ({ ...w.ref })),
    onPodStatus(listener) {
      listeners.push(listener);
    },
  };

  function graceOf(w: PodWorker): number {
    return w.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  }
}
