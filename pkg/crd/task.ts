/** KusciaTask and KusciaTaskSummary (Go: kusciatask_types.go). */
import type { KubeObject } from '../apiserver/api/object.ts';
import type { BandwidthLimit, Condition, PartyAllocatedPorts, PodSpec, PortScope, ScheduleConfig, Time } from './common.ts';
import type { TaskResourceStatus } from './resource.ts';

export const KusciaTaskPhase = {
  Pending: 'Pending',
  Running: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
} as const;
export type KusciaTaskPhase = (typeof KusciaTaskPhase)[keyof typeof KusciaTaskPhase];

export const KusciaTaskConditionType = {
  PortsAllocated: 'PortsAllocated',
  ResourceCreated: 'ResourceCreated',
  Running: 'Running',
  Success: 'Success',
  StatusSynced: 'StatusSynced',
} as const;
export type KusciaTaskConditionType = (typeof KusciaTaskConditionType)[keyof typeof KusciaTaskConditionType];

export interface PartyTemplate {
  replicas?: number;
  spec?: PodSpec;
}

export interface PartyInfo {
  domainID: string;
  appImageRef: string;
  role?: string;
  /** Defaults (in the controller) to the number of replicas. */
  minReservedPods?: number;
  template?: PartyTemplate;
  bandwidthLimits?: BandwidthLimit[];
}

export interface KusciaTaskSpec {
  initiator: string;
  taskInputConfig: string;
  scheduleConfig?: ScheduleConfig;
  parties: PartyInfo[];
}

export interface PartyTaskStatus {
  domainID: string;
  role?: string;
  phase?: KusciaTaskPhase;
  message?: string;
}

export interface TaskPodStatus {
  podName: string;
  podPhase: string;
  namespace: string;
  nodeName?: string;
  message?: string;
  terminationLog?: string;
  reason?: string;
  createTime?: Time;
  scheduleTime?: Time;
  startTime?: Time;
  readyTime?: Time;
}

export interface TaskServiceStatus {
  namespace: string;
  serviceName: string;
  portName?: string;
  portNumber?: number;
  scope?: PortScope;
  reason?: string;
  message?: string;
  createTime?: Time;
  readyTime?: Time;
}

export type KusciaTaskCondition = Condition<KusciaTaskConditionType>;

export interface KusciaTaskStatus {
  phase?: KusciaTaskPhase;
  /** 0..1, reported by the app through the Reporter. */
  progress?: number;
  partyTaskStatus?: PartyTaskStatus[];
  reason?: string;
  message?: string;
  conditions?: KusciaTaskCondition[];
  /** `"<ns>/<pod>"` → status. */
  podStatuses?: Record<string, TaskPodStatus>;
  /** `"<ns>/<service>"` → status. */
  serviceStatuses?: Record<string, TaskServiceStatus>;
  allocatedPorts?: PartyAllocatedPorts[];
  startTime?: Time;
  completionTime?: Time;
  lastReconcileTime?: Time;
}

export interface KusciaTask extends KubeObject {
  spec: KusciaTaskSpec;
  status?: KusciaTaskStatus;
}

export interface KusciaTaskSummarySpec {
  alias: string;
  jobID: string;
}

export interface TaskSummaryResourceStatus extends Partial<TaskResourceStatus> {
  role?: string;
  hostTaskResourceName?: string;
  hostTaskResourceVersion?: string;
  memberTaskResourceName?: string;
  memberTaskResourceVersion?: string;
}

export interface KusciaTaskSummaryStatus extends KusciaTaskStatus {
  /** domainID → per-role task resource status. */
  resourceStatus?: Record<string, TaskSummaryResourceStatus[]>;
}

export interface KusciaTaskSummary extends KubeObject {
  spec: KusciaTaskSummarySpec;
  status?: KusciaTaskSummaryStatus;
}
