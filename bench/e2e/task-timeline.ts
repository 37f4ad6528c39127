/**
 * Where a one-task job's latency goes: watches the KusciaTasks of cross-domain and the pods of
 * every namespace, and records for each task when this process first saw (through the watches)
 * its pods created, bound to a node, started (Running or already finished) and Succeeded, and the
 * task Succeeded. A pod stage seen late (e.g. a pod first seen already bound) also fills the
 * stages before it, so each stage's time is never earlier than the one before.
 */
import type { Logger } from 'pino';
import type { KubeConfig } from '@kubernetes/client-node';
import { KusciaResources } from '../../pkg/controllers/common/resources.ts';
import { Annotations, CROSS_DOMAIN_NAMESPACE, type KusciaTask } from '../../pkg/crd/index.ts';
import { SharedInformerFactory } from '../../pkg/kube/informer-factory.ts';
import { CoreResources } from '../../pkg/kube/resources.ts';
import type { Pod } from '../../pkg/kube/wire.ts';

export const POD_STAGES = ['created', 'bound', 'started', 'succeeded'] as const;
export type PodStage = (typeof POD_STAGES)[number];

export interface TaskTimes {
  /** Per stage, performance.now() when the LAST of the task's pods reached it (all parties there). */
  pods: Partial<Record<PodStage, number>>;
  podCount: number;
  taskSucceeded?: number;
}

export interface TaskTimeline {
  times(taskName: string): TaskTimes;
  stop(): Promise<void>;
}

function stageOf(pod: Pod): number {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return 3;
  if (phase === 'Running' || phase === 'Failed') return 2;
  if (pod.spec?.nodeName) return 1;
  return 0;
}

export async function startTaskTimeline(kubeConfig: KubeConfig, log: Logger): Promise<TaskTimeline> {
  const factory = new SharedInformerFactory({ kubeConfig, log });
  const tasks = factory.informerFor<KusciaTask>(KusciaResources.kusciaTasks, { namespace: CROSS_DOMAIN_NAMESPACE });
  const pods = factory.informerFor<Pod>(CoreResources.pods);
  /** task name → pod key → the time each stage was first seen. */
  const podTimes = new Map<string, Map<string, number[]>>();
  const taskSucceeded = new Map<string, number>();

  const observePod = (pod: Pod) => {
    const task = pod.metadata?.annotations?.[Annotations.TaskID];
    if (!task) return;
    const now = performance.now();
    const byPod = podTimes.get(task) ?? new Map<string, number[]>();
    podTimes.set(task, byPod);
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const seen = byPod.get(key) ?? [];
    byPod.set(key, seen);
    for (let stage = seen.length; stage <= stageOf(pod); stage++) seen.push(now);
  };
  const observeTask = (task: KusciaTask) => {
    const name = task.metadata.name ?? '';
    if (task.status?.phase === 'Succeeded' && !taskSucceeded.has(name)) taskSucceeded.set(name, performance.now());
  };
  pods.addEventHandler({ onAdd: observePod, onUpdate: (_old, pod) => observePod(pod) });
  tasks.addEventHandler({ onAdd: observeTask, onUpdate: (_old, task) => observeTask(task) });
  await factory.start();
  if (!(await factory.waitForCacheSync(30_000))) throw new Error('the pod / KusciaTask watches did not sync');

  return {
    times(taskName) {
      const byPod = [...(podTimes.get(taskName)?.values() ?? [])];
      const out: TaskTimes = { pods: {}, podCount: byPod.length, taskSucceeded: taskSucceeded.get(taskName) };
      POD_STAGES.forEach((stage, i) => {
        if (byPod.length && byPod.every((seen) => seen.length > i)) out.pods[stage] = Math.max(...byPod.map((seen) => seen[i]!));
      });
      return out;
    },
    stop: () => factory.stop(),
  };
}
