/**
 * The lifecycle deadline: a group not Reserved or Failed by creationTimestamp + lifecycleSeconds
 * fails (TaskResourceGroupExpired). Checked on every reconcile and armed as a queue timer for the
 * exact deadline, so it needs no polling and survives restarts (it is computed from the object).
 * A cluster that is not the initiator does not expire a Reserving group: the initiator decides.
 */
import { TaskResourceGroupConditionType as Cond, TaskResourceGroupPhase as Phase, type TaskResourceGroup } from '../../../crd/resource.ts';
import { setGroupCondition } from '../conditions.ts';
import type { TrgDeps } from '../deps.ts';
import { enterPhase, phaseOf, writeGroupStatus } from '../group-status.ts';
import { selfClusterIsInitiator } from '../party-namespaces.ts';
import { expiresAtMs } from '../settings.ts';

/** Kuscia's text, grammar included: clients match on it. */
export const EXPIRED_REASON = "Task resource group exceed it's lifecycle";

function canExpire(deps: TrgDeps, trg: TaskResourceGroup): boolean {
  const phase = phaseOf(trg);
  if (phase === Phase.Reserved || phase === Phase.Failed) return false;
  return phase !== Phase.Reserving || selfClusterIsInitiator(deps, trg);
}

/** Fails the group when its lifecycle is over (resolving to the stored group), else arms the timer. */
export async function expireIfDue(deps: TrgDeps, trg: TaskResourceGroup): Promise<TaskResourceGroup | undefined> {
  if (!canExpire(deps, trg)) return undefined;
  const name = trg.metadata.name ?? '';
  const remaining = expiresAtMs(trg) - deps.now();
  if (remaining > 0) {
    deps.requeueAfter(name, remaining);
    return undefined;
  }
  deps.log.info({ name, phase: phaseOf(trg) }, 'task resource group exceeded its lifecycle');
  return writeGroupStatus(deps, trg, phaseOf(trg), (status, now) => {
    enterPhase(status, Phase.Failed, now);
    setGroupCondition(status, Cond.Expired, 'True', EXPIRED_REASON, now);
    return true;
  });
}
