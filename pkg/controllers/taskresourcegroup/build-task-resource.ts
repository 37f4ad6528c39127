/** The TaskResource a group creates for one party (Kuscia's CreatingHandler.buildTaskResource). */
import { Annotations, API_VERSION, Labels } from '../../crd/constants.ts';
import type { ResourceRequirements } from '../../crd/common.ts';
import {
  TaskResourcePhase,
  type TaskResource,
  type TaskResourceGroup,
  type TaskResourceGroupParty,
} from '../../crd/resource.ts';
import { kusciaOwnerReference } from '../common/resources.ts';
import { resourceReservedSecondsOf } from './settings.ts';

export const TASK_RESOURCE_CREATED_REASON = 'Create task resource from task resource group';

/**
 * A partner's count is taken as given (its cluster knows its pods); for our own party it is the
 * configured count when it is within 1..pods, else all pods. Never below 1 (the CRD's minimum).
 */
export function minReservedPodsOf(party: TaskResourceGroupParty, isPartner: boolean): number {
  const pods = party.pods?.length ?? 0;
  const configured = party.minReservedPods ?? 0;
  const value = isPartner || (configured > 0 && configured <= pods) ? configured : pods;
  return Math.max(1, value);
}

/** Annotations copied from the group onto each TaskResource (only those the group has). */
const COPIED_ANNOTATIONS = [Annotations.JobID, Annotations.TaskID, Annotations.TaskAlias, Annotations.PartyMasterDomain] as const;

export interface TaskResourceInput {
  trg: TaskResourceGroup;
  party: TaskResourceGroupParty;
  isPartner: boolean;
  /** Per pod of the party, its summed container resources (omitted for partner parties). */
  podResources: Map<string, ResourceRequirements>;
  now: string;
}

export function buildTaskResource({ trg, party, isPartner, podResources, now }: TaskResourceInput): TaskResource {
  const annotations: Record<string, string> = {
    [Annotations.Initiator]: trg.spec.initiator,
    [Annotations.TaskResourceGroup]: trg.metadata.name ?? '',
  };
  for (const key of COPIED_ANNOTATIONS) {
    const value = trg.metadata.annotations?.[key];
    if (value !== undefined) annotations[key] = value;
  }
  const labels: Record<string, string> = { [Labels.TaskResourceGroupUID]: trg.metadata.uid ?? '' };
  const protocol = trg.metadata.labels?.[Labels.InterConnProtocolType];
  if (protocol) labels[Labels.InterConnProtocolType] = protocol;

  return {
    apiVersion: API_VERSION,
    kind: 'TaskResource',
    metadata: {
      name: party.taskResourceName ?? '',
      namespace: party.domainID,
      labels,
      annotations,
      ownerReferences: [kusciaOwnerReference('TaskResourceGroup', trg)],
    },
    spec: {
      ...(party.role ? { role: party.role } : {}),
      minReservedPods: minReservedPodsOf(party, isPartner),
      resourceReservedSeconds: resourceReservedSecondsOf(trg),
      initiator: trg.spec.initiator,
      pods: (party.pods ?? []).map((p) => {
        const resources = podResources.get(p.name);
        return resources ? { name: p.name, resources } : { name: p.name };
      }),
    },
    status: {
      phase: TaskResourcePhase.Reserving,
      startTime: now,
      lastTransitionTime: now,
      conditions: [{ type: TaskResourcePhase.Reserving, status: 'True', reason: TASK_RESOURCE_CREATED_REASON, lastTransitionTime: now }],
    },
  };
}
