/**
 * The TaskResourceGroup of a task (same name, cluster-scoped): the gang the TaskResourceGroup
 * controller and the scheduler reserve all-or-nothing. Own parties list their pods; partner parties
 * (run by another control plane) are "out of controlled" with one pod to reserve.
 */
import { Annotations, ControllerName, Labels, type KusciaTask, type TaskResourceGroup, type TaskResourceGroupParty } from '../../crd/index.ts';
import type { PartyKit } from './party-kit.ts';

/** Kuscia's defaults for scheduleConfig values left at zero. */
export const SCHEDULE_DEFAULTS = {
  resourceReservedSeconds: 30,
  lifecycleSeconds: 300,
  retryIntervalSeconds: 30,
} as const;

const positiveOr = (value: number | undefined, fallback: number) => (value !== undefined && value > 0 ? value : fallback);

/** scheduleConfig.minReservedMembers, or every party when unset, ≤ 0 or more than there are. */
export function minReservedMembersOf(task: KusciaTask): number {
  const parties = task.spec.parties.length;
  const configured = task.spec.scheduleConfig?.minReservedMembers ?? 0;
  return configured <= 0 || configured > parties ? parties : configured;
}

/** The schedule of a task with Kuscia's defaults applied. */
export function scheduleOf(task: KusciaTask): { resourceReservedSeconds: number; lifecycleSeconds: number; retryIntervalSeconds: number } {
  const schedule = task.spec.scheduleConfig ?? {};
  return {
    resourceReservedSeconds: positiveOr(schedule.resourceReservedSeconds, SCHEDULE_DEFAULTS.resourceReservedSeconds),
    lifecycleSeconds: positiveOr(schedule.lifecycleSeconds, SCHEDULE_DEFAULTS.lifecycleSeconds),
    retryIntervalSeconds: positiveOr(schedule.retryIntervalSeconds, SCHEDULE_DEFAULTS.retryIntervalSeconds),
  };
}

export function buildTaskResourceGroup(task: KusciaTask, kits: readonly PartyKit[]): TaskResourceGroup {
  const annotations = task.metadata.annotations ?? {};
  const copied = (key: string) => annotations[key] ?? '';
  const parties: TaskResourceGroupParty[] = [];
  const outOfControlled: TaskResourceGroupParty[] = [];
  for (const kit of kits) {
    if (kit.partner) {
      outOfControlled.push({ role: kit.role, domainID: kit.domainID, minReservedPods: 1 });
    } else {
      parties.push({ role: kit.role, domainID: kit.domainID, minReservedPods: kit.minReservedPods, pods: kit.pods.map((p) => ({ name: p.name })) });
    }
  }
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'TaskResourceGroup',
    metadata: {
      name: task.metadata.name,
      labels: {
        [Labels.Controller]: ControllerName.KusciaTask,
        [Labels.JobUID]: task.metadata.labels?.[Labels.JobUID] ?? '',
        [Labels.TaskUID]: task.metadata.uid ?? '',
      },
      annotations: {
        [Annotations.Initiator]: annotations[Annotations.Initiator] ?? task.spec.initiator,
        [Annotations.SelfClusterAsInitiator]: copied(Annotations.SelfClusterAsInitiator),
        [Annotations.JobID]: copied(Annotations.JobID),
        [Annotations.TaskID]: task.metadata.name ?? '',
        [Annotations.TaskAlias]: copied(Annotations.TaskAlias),
        [Annotations.InterConnKusciaParties]: copied(Annotations.InterConnKusciaParties),
        [Annotations.InterConnBFIAParties]: copied(Annotations.InterConnBFIAParties),
        [Annotations.PartyMasterDomain]: copied(Annotations.PartyMasterDomain),
      },
    },
    spec: {
      minReservedMembers: minReservedMembersOf(task),
      ...scheduleOf(task),
      initiator: task.spec.initiator,
      parties,
      ...(outOfControlled.length > 0 ? { outOfControlledParties: outOfControlled } : {}),
    },
  };
}
