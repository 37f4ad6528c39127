/**
 * The scheduler's TaskResource status writes. One write at a time per gang (`gang.writing` holds its
 * decisions until the outcome is known), and the gang remembers the resourceVersion it wrote so an
 * informer copy older than its own write is not acted on.
 */
import type { TaskResource } from '../crd/resource.ts';
import { describeError, isNotFound } from '../kube/api-errors.ts';
import { updateStatusWithRetry } from '../kube/status-update.ts';
import { forgetGang, resourceVersionOf, type Gang } from './gang.ts';
import type { SchedulerContext } from './scheduler-context.ts';
import { enqueueGang } from './scheduling-units.ts';

/**
 * Writes conditionally on the resourceVersion (re-read and `mutate` re-applied on conflict; `mutate`
 * returns false when the fresh object needs nothing), then queues the gang again to act on the result.
 */
export function writeTaskResource(
  ctx: SchedulerContext,
  gang: Gang,
  tr: TaskResource,
  mutate: (obj: TaskResource) => boolean,
  onWritten: (written: TaskResource) => void,
  onError: (err: unknown) => void,
): void {
  gang.writing = true;
  updateStatusWithRetry(ctx.taskResources, gang.namespace, gang.name, mutate, { current: tr })
    .then((written) => {
      gang.writtenRv = Math.max(gang.writtenRv, resourceVersionOf(written));
      onWritten(written);
    })
    .catch((err: unknown) => {
      if (isNotFound(err)) return forgetGang(ctx, gang.key);
      ctx.log.warn({ err: describeError(err), taskResource: gang.key }, 'task resource write failed');
      onError(err);
    })
    .finally(() => {
      gang.writing = false;
      if (ctx.gangs.get(gang.key) === gang) enqueueGang(ctx, gang.key);
    });
}
