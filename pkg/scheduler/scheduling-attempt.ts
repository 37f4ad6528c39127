/**
 * One attempt at a queued unit, decided from the TaskResource's phase as the informer has it: the
 * TaskResourceGroup controller moves the phase (Reserving → Reserved → Schedulable, or Failed), the
 * scheduler reacts — reserve, re-place after a restart, bind, or release.
 */
import { Annotations } from '../crd/constants.ts';
import { TaskResourcePhase } from '../crd/resource.ts';
import { bind, bindAssumed } from './binding.ts';
import { podInfoOf } from './filter.ts';
import { clearExpiry, forgetGang, newGang, releaseGang, resourceVersionOf } from './gang.ts';
import { isPendingOurs } from './pod-ownership.ts';
import type { QueuedUnit } from './queue.ts';
import { placeStragglers, recover, reserve } from './reservation.ts';
import type { SchedulerContext } from './scheduler-context.ts';
import { isGangUnitId } from './scheduling-units.ts';

export function attemptUnit(ctx: SchedulerContext, unit: QueuedUnit): void {
  if (isGangUnitId(unit.id)) syncGang(ctx, unit.name, unit);
  else schedulePod(ctx, unit.name, unit);
}

/** A pod outside any task resource group: placed and bound on its own. */
function schedulePod(ctx: SchedulerContext, key: string, unit: QueuedUnit): void {
  const pod = ctx.informers.pods.getByKey(key);
  if (!pod || !isPendingOurs(ctx, pod) || pod.metadata?.annotations?.[Annotations.TaskResourceGroup] || ctx.cache.account(key)) return;
  const info = podInfoOf(pod, ctx.cache.reader);
  const nodeName = ctx.picker.pick(info);
  if (nodeName === undefined) {
    ctx.queue.park(unit);
    ctx.reporter.unschedulable(pod, ctx.picker.explain(info));
    return;
  }
  ctx.cache.assume(key, nodeName, info.request);
  bind(ctx, info, nodeName, undefined);
}

function syncGang(ctx: SchedulerContext, key: string, unit: QueuedUnit): void {
  const tr = ctx.informers.taskResources.getByKey(key);
  let gang = ctx.gangs.get(key);
  if (!tr) {
    // "waiting for task resource": its pods are re-queued when it appears.
    if (gang) forgetGang(ctx, key);
    return;
  }
  if (!gang) ctx.gangs.set(key, (gang = newGang(key)));
  // An informer copy older than our own last write: wait for the newer one (parked, so a capacity
  // change still brings the gang back even if that copy changes nothing we react to).
  if (resourceVersionOf(tr) < gang.writtenRv) {
    ctx.queue.park(unit);
    return;
  }
  const phase = tr.status?.phase;
  if (phase === TaskResourcePhase.Schedulable) {
    clearExpiry(gang);
    bindAssumed(ctx, gang);
  }
  if (gang.writing) return;
  switch (phase) {
    case TaskResourcePhase.Failed:
      releaseGang(ctx, gang);
      gang.placed = false;
      return;
    case TaskResourcePhase.Reserving:
      // Reserving again after we reserved: the TaskResourceGroup controller is retrying.
      if (gang.placed) {
        releaseGang(ctx, gang);
        gang.placed = false;
      }
      reserve(ctx, gang, tr, unit);
      return;
    case TaskResourcePhase.Reserved:
      if (!gang.placed) recover(ctx, gang, tr, unit);
      return;
    case TaskResourcePhase.Schedulable:
      if (gang.placed) placeStragglers(ctx, gang, tr, unit);
      else recover(ctx, gang, tr, unit);
      return;
    default:
      // Pending (or no status yet): the TaskResourceGroup controller has not opened the reservation.
      return;
  }
}
