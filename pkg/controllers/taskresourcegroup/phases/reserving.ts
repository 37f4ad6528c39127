/**
 * Reserving: keep own pods linked (pods created late, links lost), and — on the initiator's
 * cluster, which decides for all parties — count the TaskResources the scheduler has Reserved or
 * Failed: enough reserved → Reserved; too many failed → every TaskResource Failed and the group
 * ReserveFailed (a retry follows after retryIntervalSeconds).
 */
import { TaskResourceGroupConditionType as Cond, TaskResourceGroupPhase as Phase, type TaskResourceGroup } from '../../../crd/resource.ts';
import { setGroupCondition } from '../conditions.ts';
import { taskResourcesOf, type TrgDeps } from '../deps.ts';
import { enterPhase, phaseOf, writeGroupStatus } from '../group-status.ts';
import { isPartnerDomain, partiesWithTaskResources, selfClusterIsInitiator } from '../party-namespaces.ts';
import { cachedPartyPods, linkPods, type LinkOptions } from '../party-pods.ts';
import { reservationOutcome, tallyTaskResources } from '../reservation-tally.ts';
import { markGroupTaskResources, TaskResourceReasons } from '../task-resource-status.ts';
import type { PhaseHandler } from './handler.ts';

/** Links the cached pods of every own party whose TaskResource the cache has. */
export async function relinkOwnPods(deps: TrgDeps, trg: TaskResourceGroup, options: LinkOptions = {}): Promise<void> {
  await Promise.all(
    (trg.spec.parties ?? [])
      .filter((party) => !isPartnerDomain(deps, party.domainID))
      .map((party) => {
        const tr = deps.taskResources.get(party.domainID, party.taskResourceName ?? '');
        return tr ? linkPods(deps, trg, tr, cachedPartyPods(deps, party), options) : undefined;
      }),
  );
}

export const handleReserving: PhaseHandler = async (deps, trg) => {
  await relinkOwnPods(deps, trg);
  if (!selfClusterIsInitiator(deps, trg)) return undefined;

  const parties = partiesWithTaskResources(deps, trg).length;
  const { minReservedMembers } = trg.spec;
  const tally = tallyTaskResources(taskResourcesOf(deps, trg));
  const outcome = reservationOutcome(minReservedMembers, parties, tally);
  if (outcome === 'Reserved') {
    return writeGroupStatus(deps, trg, Phase.Reserving, (status, now) => {
      enterPhase(status, Phase.Reserved, now);
      setGroupCondition(status, Cond.TaskResourcesReserved, 'True', '', now);
      return true;
    });
  }
  if (outcome === 'ReserveFailed') {
    // Failing every TaskResource cannot be undone: decide on the stored group, not a possibly stale cache.
    const fresh = await deps.clients.taskResourceGroups.get('', trg.metadata.name ?? '');
    if (phaseOf(fresh) !== Phase.Reserving || fresh.status?.completionTime) return fresh;
    await markGroupTaskResources(deps, trg, 'Failed', TaskResourceReasons.reserveFailed);
    const remaining = parties - tally.failed;
    return writeGroupStatus(deps, fresh, Phase.Reserving, (status, now) => {
      enterPhase(status, Phase.ReserveFailed, now);
      setGroupCondition(status, Cond.TaskResourcesReserved, 'False', `The remaining number of parties ${remaining} is less than the schedulable threshold ${minReservedMembers}`, now);
      return true;
    });
  }
  return undefined;
};
