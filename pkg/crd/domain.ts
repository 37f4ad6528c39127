/** Domain: one party / organisation, backed by a namespace of the same name (Go: domain_types.go). */
import type { KubeObject } from '../apiserver/api/object.ts';
import type { InterConnProtocolType, Time } from './common.ts';

export const DomainRole = {
  /** A party controlled by another control plane. */
  Partner: 'partner',
} as const;
export type DomainRole = (typeof DomainRole)[keyof typeof DomainRole] | '';

export const DomainAuthenticationType = {
  Token: 'Token',
  MTLS: 'MTLS',
  None: 'None',
} as const;
export type DomainAuthenticationType = (typeof DomainAuthenticationType)[keyof typeof DomainAuthenticationType];

export const TokenGenMethod = {
  RSA: 'RSA-GEN',
  Random: 'RAND-GEN',
  /** Deprecated. */
  UIDRSA: 'UID-RSA-GEN',
} as const;
export type TokenGenMethod = (typeof TokenGenMethod)[keyof typeof TokenGenMethod];

export interface AuthCenter {
  authenticationType: DomainAuthenticationType;
  tokenGenMethod?: TokenGenMethod;
}

export interface DomainSpec {
  role?: DomainRole;
  /** Master domain ID (for a partner: itself once auth is initialised). */
  master?: string;
  /** Only the first entry is used. */
  interConnProtocols?: InterConnProtocolType[];
  /** Base64 PEM of the domain's X.509 certificate. */
  cert?: string;
  authCenter?: AuthCenter | null;
  resourceQuota?: { podMaxCount?: number };
}

export interface DomainNodeStatus {
  name: string;
  version: string;
  status: string;
  lastHeartbeatTime?: Time;
  lastTransitionTime?: Time;
}

/** States of a lite deploy token: the master marks a token used when a lite registers with it. */
export const DeployTokenState = {
  Used: 'used',
  Unused: 'unused',
} as const;
export type DeployTokenState = (typeof DeployTokenState)[keyof typeof DeployTokenState];

/** `status.nodeStatuses[].status`: from the Node's Ready condition. */
export const DomainNodeState = {
  Ready: 'Ready',
  NotReady: 'NotReady',
} as const;

export interface DeployTokenStatus {
  token: string;
  /** {@link DeployTokenState}; other values are dropped by the Domain controller. */
  state: string;
  lastTransitionTime?: Time;
}

export interface DomainStatus {
  nodeStatuses?: DomainNodeStatus[];
  deployTokenStatuses?: DeployTokenStatus[];
}

export interface Domain extends KubeObject {
  spec: DomainSpec;
  status?: DomainStatus;
}
