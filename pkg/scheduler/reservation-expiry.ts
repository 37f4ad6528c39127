/**
 * A reservation lasts spec.resourceReservedSeconds: if the TaskResourceGroup controller has not made
 * the TaskResource Schedulable by then (another party could not reserve), the capacity is released
 * and the TaskResource failed with Kuscia's reason naming the parties that did not reserve, so the
 * group can retry or fail instead of holding nodes forever.
 */
import { TaskResourcePhase, type TaskResource } from '../crd/resource.ts';
import { abandon, clearExpiry, forgetGang, type Gang } from './gang.ts';
import { GROUP_UID_INDEX } from './scheduler-informers.ts';
import type { SchedulerContext } from './scheduler-context.ts';
import { setTaskResourcePhase, siblingStatusInfo, taskResourceGroupUid } from './task-resource-status.ts';
import { writeTaskResource } from './task-resource-writer.ts';

/** Starts (or restarts) the gang's reservation clock. */
export function armExpiry(ctx: SchedulerContext, gang: Gang, tr: TaskResource): void {
  clearExpiry(gang);
  const seconds = reservedSeconds(tr, ctx.defaultReservedSeconds);
  gang.expiry = setTimeout(() => {
    gang.expiry = undefined;
    expire(ctx, gang, seconds);
  }, seconds * 1000);
  // A pending reservation must not keep the process alive.
  gang.expiry.unref();
}

/** The reservation was not made Schedulable in time: release it and fail the TaskResource. */
function expire(ctx: SchedulerContext, gang: Gang, seconds: number): void {
  if (!ctx.isRunning() || ctx.gangs.get(gang.key) !== gang || !gang.placed) return;
  const tr = ctx.informers.taskResources.getByKey(gang.key);
  if (!tr) return forgetGang(ctx, gang.key);
  if (tr.status?.phase === TaskResourcePhase.Schedulable) return;
  if (gang.writing) {
    ctx.later(() => expire(ctx, gang, seconds), 200);
    return;
  }
  const group = taskResourceGroupUid(tr);
  const siblings = group ? siblingStatusInfo(ctx.informers.taskResources.byIndex(GROUP_UID_INDEX, group)) : '';
  const reason = `schedule task resource ${gang.key} failed: reservation expired, not Schedulable within ${seconds} seconds${siblings ? `; ${siblings}` : ''}`;
  ctx.log.info({ taskResource: gang.key, seconds }, 'reservation expired');
  writeTaskResource(
    ctx,
    gang,
    tr,
    (obj) => {
      const phase = obj.status?.phase;
      if (phase === TaskResourcePhase.Schedulable || phase === TaskResourcePhase.Failed) return false;
      return setTaskResourcePhase(obj, TaskResourcePhase.Failed, reason, ctx.nowTime());
    },
    (written) => {
      if (written.status?.phase !== TaskResourcePhase.Schedulable) abandon(ctx, gang);
    },
    () => ctx.later(() => expire(ctx, gang, seconds), ctx.retryDelayMs),
  );
}

function reservedSeconds(tr: TaskResource, fallback: number): number {
  const s = tr.spec?.resourceReservedSeconds;
  return typeof s === 'number' && s > 0 ? s : fallback;
}
