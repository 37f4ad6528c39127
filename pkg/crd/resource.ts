/** TaskResourceGroup and TaskResource: the two-level co-scheduling reservation (Go: taskresource*_types.go). */
import type { KubeObject } from '../apiserver/api/object.ts';
import type { Condition, ResourceRequirements, Time } from './common.ts';

export const TaskResourceGroupPhase = {
  Pending: 'Pending',
  Creating: 'Creating',
  Reserving: 'Reserving',
  Reserved: 'Reserved',
  ReserveFailed: 'ReserveFailed',
  Failed: 'Failed',
} as const;
export type TaskResourceGroupPhase = (typeof TaskResourceGroupPhase)[keyof typeof TaskResourceGroupPhase];

export const TaskResourceGroupConditionType = {
  Validated: 'TaskResourceGroupValidated',
  TaskResourceNameGenerated: 'TaskResourceNameGenerated',
  TaskResourcesCreated: 'TaskResourcesCreated',
  PodAnnotationUpdated: 'PodAnnotationUpdated',
  TaskResourcesListed: 'TaskResourcesListed',
  TaskResourcesReserved: 'TaskResourcesReserved',
  Expired: 'TaskResourceGroupExpired',
  TaskResourcesScheduled: 'TaskResourcesScheduled',
  Failed: 'TaskResourceGroupFailed',
  DependentTaskFailed: 'DependentTaskFailed',
} as const;
export type TaskResourceGroupConditionType =
  (typeof TaskResourceGroupConditionType)[keyof typeof TaskResourceGroupConditionType];

export interface TaskResourceGroupParty {
  role?: string;
  domainID: string;
  minReservedPods?: number;
  pods?: Array<{ name: string }>;
  taskResourceName?: string;
}

export interface TaskResourceGroupSpec {
  /** ≥ 1. */
  minReservedMembers: number;
  resourceReservedSeconds?: number;
  retryIntervalSeconds?: number;
  lifecycleSeconds?: number;
  initiator: string;
  /** Parties whose task resource this cluster controls. */
  parties: TaskResourceGroupParty[];
  /** Partner parties (controlled by other clusters). */
  outOfControlledParties?: TaskResourceGroupParty[];
}

export type TaskResourceGroupCondition = Omit<Condition<TaskResourceGroupConditionType>, 'message'>;

export interface TaskResourceGroupStatus {
  phase?: TaskResourceGroupPhase;
  retryCount?: number;
  conditions?: TaskResourceGroupCondition[];
  startTime?: Time;
  completionTime?: Time;
  lastTransitionTime?: Time;
}

export interface TaskResourceGroup extends KubeObject {
  spec: TaskResourceGroupSpec;
  status?: TaskResourceGroupStatus;
}

export const TaskResourcePhase = {
  Pending: 'Pending',
  Reserving: 'Reserving',
  Reserved: 'Reserved',
  Schedulable: 'Schedulable',
  Failed: 'Failed',
} as const;
export type TaskResourcePhase = (typeof TaskResourcePhase)[keyof typeof TaskResourcePhase];

/** TaskResource condition types share their names with the phases. */
export type TaskResourceConditionType = TaskResourcePhase;

/** Reason written when a reservation is retried after partners failed to reserve. */
export const RETRY_RESERVE_RESOURCE_REASON =
  "Last reserved resources and need retry since partners doesn't reserve resources";

export interface TaskResourceSpec {
  role?: string;
  /** ≥ 1. */
  minReservedPods: number;
  resourceReservedSeconds?: number;
  initiator?: string;
  pods?: Array<{ name: string; resources?: ResourceRequirements }>;
}

export type TaskResourceCondition = Omit<Condition<TaskResourceConditionType>, 'message'>;

export interface TaskResourceStatus {
  phase: TaskResourcePhase;
  conditions?: TaskResourceCondition[];
  startTime?: Time;
  completionTime?: Time;
  lastTransitionTime?: Time;
}

/** TaskResource has no status subresource: its status is written with the object. */
export interface TaskResource extends KubeObject {
  spec: TaskResourceSpec;
  status?: TaskResourceStatus;
}
