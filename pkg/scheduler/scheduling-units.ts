/**
 * What goes into the scheduling queue: a gang (`gang:ns/tr`, all pods of one TaskResource, attempted
 * together) or a pod outside any task resource group (`pod:ns/name`), with the priority and creation
 * time the queue orders them by.
 */
import { Annotations, Labels } from '../crd/constants.ts';
import { objectKey } from '../kube/object-key.ts';
import type { Pod } from '../kube/wire.ts';
import { TASK_RESOURCE_INDEX } from './scheduler-informers.ts';
import { isPendingOurs } from './pod-ownership.ts';
import type { SchedulerContext } from './scheduler-context.ts';

export const gangUnitId = (trKey: string) => `gang:${trKey}`;
export const podUnitId = (podKey: string) => `pod:${podKey}`;
export const isGangUnitId = (id: string) => id.startsWith('gang:');

/** Queues the pod's unit: itself, or its TaskResource's gang. */
export function enqueuePod(ctx: SchedulerContext, pod: Pod): void {
  const ann = pod.metadata?.annotations ?? {};
  if (!ann[Annotations.TaskResourceGroup]) {
    const key = objectKey(pod);
    ctx.queue.add({ id: podUnitId(key), name: key, priority: pod.spec?.priority ?? 0, createdMs: timeMs(pod.metadata?.creationTimestamp) });
    ctx.wake();
    return;
  }
  // In a task resource group but not yet linked to its TaskResource: the TRG controller will.
  const tr = ann[Annotations.TaskResource];
  if (tr) enqueueGang(ctx, `${pod.metadata?.namespace ?? ''}/${tr}`, pod);
}

/** Queues the TaskResource's gang, ordered by its pods' priority and the TaskResource's age. */
export function enqueueGang(ctx: SchedulerContext, key: string, samplePod?: Pod): void {
  const tr = ctx.informers.taskResources.getByKey(key);
  const pod = samplePod ?? ctx.informers.pods.byIndex(TASK_RESOURCE_INDEX, key)[0];
  const createdMs = timeMs(tr?.metadata?.creationTimestamp ?? pod?.metadata?.creationTimestamp);
  ctx.queue.add({ id: gangUnitId(key), name: key, priority: pod?.spec?.priority ?? 0, createdMs });
  ctx.wake();
}

/** Queues every pending pod of ours in the namespace. */
export function enqueueNamespace(ctx: SchedulerContext, namespace: string): void {
  for (const pod of ctx.informers.pods.list(namespace)) if (isPendingOurs(ctx, pod)) enqueuePod(ctx, pod);
}

/** The queue unit a pending pod belongs to (undefined: it waits for its TaskResource link). */
function unitIdOf(pod: Pod): string | undefined {
  const ann = pod.metadata?.annotations ?? {};
  if (!ann[Annotations.TaskResourceGroup]) return podUnitId(objectKey(pod));
  const tr = ann[Annotations.TaskResource];
  return tr ? gangUnitId(`${pod.metadata?.namespace ?? ''}/${tr}`) : undefined;
}

/** What links a pending pod to its unit: a change of it is worth a new attempt. */
export function placementKeyOf(pod: Pod): string {
  return `${unitIdOf(pod) ?? ''}|${pod.metadata?.labels?.[Labels.TaskResourceUID] ?? ''}`;
}

function timeMs(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}
