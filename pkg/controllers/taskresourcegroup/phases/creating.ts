/**
 * Creating: one TaskResource per party in the party's namespace (status Reserving from the start),
 * then every own pod is linked to its party's TaskResource — the link is what lets the scheduler
 * start — and the group → Reserving.
 */
import { Labels } from '../../../crd/constants.ts';
import type { ResourceRequirements } from '../../../crd/common.ts';
import {
  TaskResourceGroupConditionType as Cond,
  TaskResourceGroupPhase as Phase,
  type TaskResource,
  type TaskResourceGroup,
  type TaskResourceGroupParty,
} from '../../../crd/resource.ts';
import { isAlreadyExists } from '../../../kube/api-errors.ts';
import { rfc3339 } from '../../common/controller-context.ts';
import { buildTaskResource } from '../build-task-resource.ts';
import { setGroupCondition } from '../conditions.ts';
import type { TrgDeps } from '../deps.ts';
import { enterPhase, writeGroupStatus } from '../group-status.ts';
import { isPartnerDomain, partiesWithTaskResources } from '../party-namespaces.ts';
import { linkPods, readPartyPods } from '../party-pods.ts';
import { summedPodResources } from '../pod-resources.ts';
import type { PhaseHandler } from './handler.ts';

/** A TaskResource of that name exists but belongs to another group (its owner is gone or foreign). */
export class ForeignTaskResourceError extends Error {
  constructor(namespace: string, name: string, group: string) {
    super(`task resource ${namespace}/${name} already exists and does not belong to task resource group ${group}`);
    this.name = 'ForeignTaskResourceError';
  }
}

function belongsTo(tr: TaskResource, trg: TaskResourceGroup): boolean {
  return tr.metadata.labels?.[Labels.TaskResourceGroupUID] === trg.metadata.uid;
}

/** The party's TaskResource: the existing one when it is ours, else created now. */
async function ensureTaskResource(deps: TrgDeps, trg: TaskResourceGroup, party: TaskResourceGroupParty, podResources: Map<string, ResourceRequirements>): Promise<TaskResource> {
  const name = party.taskResourceName ?? '';
  const groupName = trg.metadata.name ?? '';
  const cached = deps.taskResources.get(party.domainID, name);
  if (cached) {
    if (!belongsTo(cached, trg)) throw new ForeignTaskResourceError(party.domainID, name, groupName);
    return cached;
  }
  const body = buildTaskResource({ trg, party, isPartner: isPartnerDomain(deps, party.domainID), podResources, now: rfc3339(deps.now()) });
  try {
    const created = await deps.clients.taskResources.create(body);
    deps.log.debug({ name: groupName, namespace: party.domainID, taskResource: name }, 'created task resource');
    return created;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    // Created by an earlier run whose cache we have not seen yet: fine if it is ours.
    const existing = await deps.clients.taskResources.get(party.domainID, name);
    if (!belongsTo(existing, trg)) throw new ForeignTaskResourceError(party.domainID, name, groupName);
    return existing;
  }
}

async function createPartyTaskResource(deps: TrgDeps, trg: TaskResourceGroup, party: TaskResourceGroupParty): Promise<void> {
  const partner = isPartnerDomain(deps, party.domainID);
  // A partner's pods live in its own cluster: only our pods are read (for their resources) and linked.
  const pods = partner ? [] : await readPartyPods(deps, trg, party);
  const podResources = new Map(pods.map((pod) => [pod.metadata?.name ?? '', summedPodResources(pod)]));
  const tr = await ensureTaskResource(deps, trg, party, podResources);
  if (!partner) await linkPods(deps, trg, tr, pods);
}

export const handleCreating: PhaseHandler = async (deps, trg) => {
  await Promise.all(partiesWithTaskResources(deps, trg).map((party) => createPartyTaskResource(deps, trg, party)));
  return writeGroupStatus(deps, trg, Phase.Creating, (status, now) => {
    enterPhase(status, Phase.Reserving, now);
    setGroupCondition(status, Cond.TaskResourcesCreated, 'True', '', now);
    return true;
  });
};
