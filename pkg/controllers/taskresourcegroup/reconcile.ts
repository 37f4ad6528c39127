/** One reconcile of a TaskResourceGroup: the lifecycle deadline, then the phase handlers in a row. */
import { TaskResourceGroupConditionType as Cond, TaskResourceGroupPhase as Phase, type TaskResourceGroup } from '../../crd/resource.ts';
import { describeError } from '../../kube/api-errors.ts';
import { setGroupCondition } from './conditions.ts';
import type { TrgDeps } from './deps.ts';
import { enterPhase, phaseOf, writeGroupStatus } from './group-status.ts';
import { handleCreating } from './phases/creating.ts';
import { expireIfDue } from './phases/expiry.ts';
import { handleFailed } from './phases/failed.ts';
import type { PhaseHandler } from './phases/handler.ts';
import { handlePending } from './phases/pending.ts';
import { handleReserveFailed } from './phases/reserve-failed.ts';
import { handleReserved } from './phases/reserved.ts';
import { handleReserving } from './phases/reserving.ts';

const HANDLERS: Record<Phase, PhaseHandler> = {
  [Phase.Pending]: handlePending,
  [Phase.Creating]: handleCreating,
  [Phase.Reserving]: handleReserving,
  [Phase.ReserveFailed]: handleReserveFailed,
  [Phase.Reserved]: handleReserved,
  [Phase.Failed]: handleFailed,
};

/** Pending → Creating → Reserving → Reserved → complete is the longest run of handlers in one go. */
const MAX_PHASES_PER_RECONCILE = 6;

function isDone(trg: TaskResourceGroup): boolean {
  return !!trg.metadata.deletionTimestamp || !!trg.status?.completionTime;
}

/**
 * Runs the handler of the group's phase and, when it moved the group on, the next one with the
 * object it stored — without waiting for the watch to bring the change back. This is what makes
 * "last TaskResource Reserved" → "every TaskResource Schedulable" a single reconcile.
 */
export async function reconcileGroup(deps: TrgDeps, name: string): Promise<void> {
  const cached = deps.groups.get('', name);
  if (!cached) return;
  const latest = deps.ownGroupWrites.latest(cached);
  if (isDone(latest)) return;
  let trg = (await expireIfDue(deps, latest)) ?? latest;
  for (let step = 0; step < MAX_PHASES_PER_RECONCILE && !isDone(trg); step++) {
    const phase = phaseOf(trg);
    const handler = HANDLERS[phase];
    if (!handler) {
      deps.log.warn({ name, phase }, 'unknown task resource group phase; ignored');
      return;
    }
    const next = await handler(deps, trg);
    if (!next || phaseOf(next) === phase) return;
    deps.log.debug({ name, from: phase, to: phaseOf(next) }, 'task resource group phase changed');
    trg = next;
  }
}

/** The condition a failure in each phase is reported under. */
const CONDITION_OF_PHASE: Record<Phase, Cond> = {
  [Phase.Pending]: Cond.TaskResourceNameGenerated,
  [Phase.Creating]: Cond.TaskResourcesCreated,
  [Phase.Reserving]: Cond.TaskResourcesReserved,
  [Phase.ReserveFailed]: Cond.TaskResourcesListed,
  [Phase.Reserved]: Cond.TaskResourcesScheduled,
  [Phase.Failed]: Cond.Failed,
};

/**
 * After the last retry: the group fails with the error under the failing phase's condition. A group
 * that keeps failing in Failed (its TaskResources cannot be written) is completed as it is.
 */
export async function failAfterRetries(deps: TrgDeps, name: string, lastError: unknown): Promise<void> {
  const cached = deps.groups.get('', name);
  if (!cached) return;
  const trg = deps.ownGroupWrites.latest(cached);
  if (isDone(trg)) return;
  const phase = phaseOf(trg);
  const reason = describeError(lastError);
  await writeGroupStatus(deps, trg, phase, (status, now) => {
    if (phase === Phase.Failed) status.completionTime = now;
    else enterPhase(status, Phase.Failed, now);
    setGroupCondition(status, CONDITION_OF_PHASE[phase] ?? Cond.Failed, 'False', reason, now);
    return true;
  });
}
