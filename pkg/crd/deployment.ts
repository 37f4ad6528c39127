/** KusciaDeployment (long-running "Serving") and its cross-cluster summary (Go: kusciadeployment_types.go). */
import type { KubeObject } from '../apiserver/api/object.ts';
import type { PodSpec, Time } from './common.ts';

export const KusciaDeploymentPhase = {
  Progressing: 'Progressing',
  PartialAvailable: 'PartialAvailable',
  Available: 'Available',
  Failed: 'Failed',
} as const;
export type KusciaDeploymentPhase = (typeof KusciaDeploymentPhase)[keyof typeof KusciaDeploymentPhase];

export interface KusciaDeploymentPartyTemplate {
  /** Defaults (in the controller) to 1. */
  replicas?: number;
  /** apps/v1 DeploymentStrategy, passed through. */
  strategy?: Record<string, unknown>;
  spec?: PodSpec;
}

export interface KusciaDeploymentParty {
  domainID: string;
  appImageRef: string;
  role?: string;
  template?: KusciaDeploymentPartyTemplate;
  /** `^[a-z]([-a-z0-9]{0,46}[a-z0-9])?$`. */
  serviceNamePrefix?: string;
}

export interface KusciaDeploymentSpec {
  initiator: string;
  inputConfig: string;
  parties: KusciaDeploymentParty[];
}

/** apps/v1 DeploymentCondition. */
export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime?: Time;
  lastTransitionTime?: Time;
  reason?: string;
  message?: string;
}

export interface KusciaDeploymentPartyStatus {
  phase?: KusciaDeploymentPhase;
  role?: string;
  replicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions?: DeploymentCondition[];
  creationTimestamp?: Time;
}

export interface KusciaDeploymentStatus {
  phase?: KusciaDeploymentPhase;
  reason?: string;
  message?: string;
  totalParties?: number;
  availableParties?: number;
  /** domainID → role → status. */
  partyDeploymentStatuses?: Record<string, Record<string, KusciaDeploymentPartyStatus>>;
  lastReconcileTime?: Time;
}

export interface KusciaDeployment extends KubeObject {
  spec: KusciaDeploymentSpec;
  status?: KusciaDeploymentStatus;
}

/** Status only (no spec). */
export interface KusciaDeploymentSummary extends KubeObject {
  status?: KusciaDeploymentStatus;
}
