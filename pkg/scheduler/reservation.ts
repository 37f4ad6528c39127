/**
 * Reservation, Volcano-statement style: a gang's minimum (minReservedPods, counting pods already
 * bound) is placed tentatively and kept only if all of it fits; then the pods hold their nodes as
 * assumptions and the TaskResource goes Reserved. Nothing is bound here (binding.ts does that once
 * the TaskResource is Schedulable), and a gang that does not fit is parked, never waited on.
 */
import { TaskResourcePhase, type TaskResource } from '../crd/resource.ts';
import type { Pod } from '../kube/wire.ts';
import { bindAssumed } from './binding.ts';
import { abandon, gangPods, minReservedPods, type Gang, type GangPods } from './gang.ts';
import { placeGang, type GangPlacement } from './placement.ts';
import type { QueuedUnit } from './queue.ts';
import { armExpiry } from './reservation-expiry.ts';
import type { SchedulerContext } from './scheduler-context.ts';
import { conditionReason, RESERVED_REASON, setConditionReason, setTaskResourcePhase } from './task-resource-status.ts';
import { writeTaskResource } from './task-resource-writer.ts';

/** Reserving: place at least minReservedPods on a statement, commit, and mark the TaskResource Reserved. */
export function reserve(ctx: SchedulerContext, gang: Gang, tr: TaskResource, unit: QueuedUnit): void {
  const attempt = placeMinimum(ctx, gang, tr);
  if (!attempt) return;
  const { members, need, result } = attempt;
  if (!result.ok) {
    ctx.queue.park(unit);
    noteShortfall(ctx, gang, tr, result.message, members.pendingPods);
    return;
  }
  gang.shortfall = undefined;
  ctx.log.debug({ taskResource: gang.key, placed: result.placements.length, need }, 'reserved');
  writeTaskResource(
    ctx,
    gang,
    tr,
    (obj) => obj.status?.phase === TaskResourcePhase.Reserving && setTaskResourcePhase(obj, TaskResourcePhase.Reserved, RESERVED_REASON, ctx.nowTime()),
    (written) => {
      const phase = written.status?.phase;
      if (phase === TaskResourcePhase.Reserved) armExpiry(ctx, gang, tr);
      else if (phase !== TaskResourcePhase.Schedulable) abandon(ctx, gang);
    },
    () => abandon(ctx, gang),
  );
}

/**
 * Reserved or Schedulable without a reservation in memory (the scheduler restarted, or a party
 * became Schedulable without having reserved): place the gang again now; if it no longer fits the
 * TaskResource fails, with the reason, rather than binding part of it.
 */
export function recover(ctx: SchedulerContext, gang: Gang, tr: TaskResource, unit: QueuedUnit): void {
  const phase = tr.status?.phase;
  const attempt = placeMinimum(ctx, gang, tr);
  if (!attempt) return;
  const { result } = attempt;
  if (!result.ok) {
    ctx.queue.park(unit);
    const reason = `schedule task resource ${gang.key} failed: it was ${phase} but the scheduler held no reservation for it (scheduler restart) and its pods no longer fit: ${result.message}`;
    ctx.log.info({ taskResource: gang.key, phase }, reason);
    writeTaskResource(ctx, gang, tr, (obj) => obj.status?.phase === phase && setTaskResourcePhase(obj, TaskResourcePhase.Failed, reason, ctx.nowTime()), () => undefined, () => undefined);
    return;
  }
  ctx.log.info({ taskResource: gang.key, phase, placed: result.placements.length }, 'reservation re-placed after restart');
  if (phase === TaskResourcePhase.Schedulable) bindAssumed(ctx, gang);
  else armExpiry(ctx, gang, tr);
}

/**
 * The statement both reserve and recover run: place enough of the gang's pending pods to reach
 * minReservedPods (counting those already bound), all or none, and on success record them as the
 * gang's assumptions. Undefined while fewer pods exist than minReservedPods (Kuscia's PreFilter:
 * "cannot find enough sibling pods" — their arrival re-queues the gang).
 */
function placeMinimum(ctx: SchedulerContext, gang: Gang, tr: TaskResource): { members: GangPods; need: number; result: GangPlacement } | undefined {
  const members = gangPods(ctx, tr);
  const min = minReservedPods(tr, members.total);
  if (members.total < min) return undefined;
  const need = Math.max(0, min - members.bound);
  const result = placeGang(ctx.cache, ctx.picker, members.pending, need, gang.key);
  if (result.ok) {
    gang.placed = true;
    for (const p of result.placements) gang.assumed.set(p.pod.key, p.nodeName);
  }
  return { members, need, result };
}

/**
 * Schedulable and reserved: pods that hold nothing (a failed binding, pods beyond the minimum) are
 * placed one by one — the gang's minimum is already guaranteed, so these need no statement.
 */
export function placeStragglers(ctx: SchedulerContext, gang: Gang, tr: TaskResource, unit: QueuedUnit): void {
  const members = gangPods(ctx, tr);
  let failure: { pod: Pod; message: string } | undefined;
  members.pending.forEach((pod, i) => {
    const nodeName = ctx.picker.pick(pod);
    if (nodeName === undefined) {
      failure ??= { pod: members.pendingPods[i]!, message: ctx.picker.explain(pod) };
      return;
    }
    ctx.cache.assume(pod.key, nodeName, pod.request, gang.key);
    gang.assumed.set(pod.key, nodeName);
  });
  bindAssumed(ctx, gang);
  if (failure) {
    ctx.queue.park(unit);
    ctx.reporter.unschedulable(failure.pod, failure.message);
  }
}

/** The gang does not fit: say why, on the TaskResource's Reserving condition and on its pods, once per change. */
function noteShortfall(ctx: SchedulerContext, gang: Gang, tr: TaskResource, message: string, pods: Pod[]): void {
  if (gang.shortfall === message) return;
  gang.shortfall = message;
  ctx.log.debug({ taskResource: gang.key, message }, 'gang does not fit');
  for (const pod of pods) ctx.reporter.unschedulable(pod, message);
  if (conditionReason(tr, TaskResourcePhase.Reserving) === message) return;
  writeTaskResource(
    ctx,
    gang,
    tr,
    (obj) => obj.status?.phase === TaskResourcePhase.Reserving && setConditionReason(obj, TaskResourcePhase.Reserving, message, ctx.nowTime()),
    () => undefined,
    () => undefined,
  );
}
