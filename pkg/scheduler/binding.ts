/**
 * When pods are bound: a gang's assumed pods once its TaskResource is Schedulable, a lone pod as soon
 * as it is placed. The assumption holds the node until the API answers; a failed binding gives it
 * back and the pod is placed again later with the usual checks (binder.ts sends the requests).
 */
import { describeError, isNotFound } from '../kube/api-errors.ts';
import type { Gang } from './gang.ts';
import { podInfoOf, type PodInfo } from './filter.ts';
import { isPendingOurs } from './pod-ownership.ts';
import type { SchedulerContext } from './scheduler-context.ts';
import { enqueueGang, enqueuePod } from './scheduling-units.ts';

/** Binds every assumed pod of the gang not already being bound; pods gone or bound meanwhile are forgotten. */
export function bindAssumed(ctx: SchedulerContext, gang: Gang): void {
  for (const [podKey, nodeName] of gang.assumed) {
    if (gang.binding.has(podKey)) continue;
    const pod = ctx.informers.pods.getByKey(podKey);
    if (!pod || pod.spec?.nodeName) {
      gang.assumed.delete(podKey);
      ctx.cache.forget(podKey);
      continue;
    }
    bind(ctx, podInfoOf(pod, ctx.cache.reader), nodeName, gang);
  }
}

/** Binds one assumed pod; `gang` is undefined for a pod outside any task resource group. */
export function bind(ctx: SchedulerContext, pod: PodInfo, nodeName: string, gang: Gang | undefined): void {
  gang?.binding.add(pod.key);
  ctx.binder.bind({ namespace: pod.namespace, name: pod.name, uid: pod.uid, nodeName }, (err) => {
    gang?.binding.delete(pod.key);
    gang?.assumed.delete(pod.key);
    if (err === undefined) {
      ctx.onBound();
      ctx.reporter.scheduled(pod, nodeName);
      return;
    }
    // The assumption goes; the pod (if it still exists) is placed again with the usual checks.
    ctx.cache.forget(pod.key);
    if (isNotFound(err)) return;
    ctx.log.warn({ err: describeError(err), pod: pod.key, node: nodeName }, 'binding failed; pod re-queued');
    if (gang) ctx.later(() => enqueueGang(ctx, gang.key), ctx.retryDelayMs);
    else {
      ctx.later(() => {
        const current = ctx.informers.pods.getByKey(pod.key);
        if (current && isPendingOurs(ctx, current)) enqueuePod(ctx, current);
      }, ctx.retryDelayMs);
    }
  });
}
