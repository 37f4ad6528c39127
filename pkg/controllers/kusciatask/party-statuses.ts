/**
 * status.partyTaskStatus while the task runs: own parties from their pods (the pods and
 * minReservedPods the TaskResourceGroup lists), partner parties as last synced from their control
 * plane. A party that finished stays finished.
 */
import type { KusciaTask, PartyTaskStatus, TaskResourceGroup } from '../../crd/index.ts';
import type { Pod } from '../../kube/wire.ts';
import type { TaskControllerDeps } from './deps.ts';
import { livePod } from './lookups.ts';
import { countPods, partyPhase } from './party-phase.ts';
import { isPodFailed } from './pod-failure.ts';
import { podStatusOf } from './resource-status.ts';

const sameParty = (a: { domainID: string; role?: string }, b: { domainID: string; role?: string }) =>
  a.domainID === b.domainID && (a.role ?? '') === (b.role ?? '');

/** Entries for parties that have none yet, as Pending (Kuscia: initPartyTaskStatus). */
export function ensurePartyStatuses(task: KusciaTask): void {
  const status = (task.status ??= {});
  status.partyTaskStatus ??= [];
  for (const party of task.spec.parties) {
    if (!status.partyTaskStatus.some((s) => sameParty(s, party))) {
      status.partyTaskStatus.push({ domainID: party.domainID, role: party.role ?? '', phase: 'Pending' });
    }
  }
}

export async function computePartyStatuses(deps: TaskControllerDeps, task: KusciaTask, trg: TaskResourceGroup): Promise<PartyTaskStatus[]> {
  const previous = task.status?.partyTaskStatus ?? [];
  const result: PartyTaskStatus[] = [];
  for (const party of task.spec.parties) {
    const last = previous.find((s) => sameParty(s, party));
    const own = trg.spec.parties.find((p) => sameParty(p, party));
    if (!own || last?.phase === 'Succeeded' || last?.phase === 'Failed') {
      result.push(last ?? { domainID: party.domainID, role: party.role ?? '', phase: 'Pending' });
      continue;
    }
    const pods = await Promise.all((own.pods ?? []).map((p) => livePod(deps, party.domainID, p.name)));
    const phase = partyPhase(countPods(pods), own.minReservedPods ?? 0);
    const entry: PartyTaskStatus = { domainID: party.domainID, role: party.role ?? '', phase };
    if (phase === 'Failed') entry.message = failureMessage(own.pods ?? [], pods);
    result.push(entry);
  }
  return result;
}

/** What went wrong with the party's failed pods, so the task status explains the failure. */
function failureMessage(names: ReadonlyArray<{ name: string }>, pods: ReadonlyArray<Pod | undefined>): string {
  const reasons: string[] = [];
  names.forEach(({ name }, i) => {
    const pod = pods[i];
    if (!pod) {
      reasons.push(`pod ${name} does not exist`);
      return;
    }
    if (pod.status?.phase !== 'Failed' && !isPodFailed(pod)) return;
    const st = podStatusOf(pod);
    reasons.push(`pod ${name} failed: ${st.terminationLog ?? st.message ?? st.reason ?? st.podPhase}`);
  });
  return reasons.join('; ');
}
