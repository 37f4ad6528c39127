/** DomainRoute and ClusterDomainRoute: how one domain reaches another (Go: domainroute_types.go). */
import type { KubeObject } from '../apiserver/api/object.ts';
import type { ConditionStatus, InterConnProtocolType, Time } from './common.ts';
import type { DomainAuthenticationType } from './domain.ts';

export const TransitMethod = {
  ThirdDomain: 'THIRD-DOMAIN',
  ReverseTunnel: 'REVERSE-TUNNEL',
} as const;
export type TransitMethod = (typeof TransitMethod)[keyof typeof TransitMethod];

export interface DomainPort {
  name: string;
  protocol: 'HTTP' | 'GRPC';
  pathPrefix?: string;
  isTLS?: boolean;
  /** 1..65535. */
  port: number;
}

export interface DomainEndpoint {
  host?: string;
  ports?: DomainPort[];
}

export interface Transit {
  /** Defaults to THIRD-DOMAIN. */
  transitMethod?: TransitMethod;
  domain?: { domainID: string };
}

export interface TokenConfig {
  /** Base64 PEM "RSA PUBLIC KEY". */
  sourcePublicKey?: string;
  destinationPublicKey?: string;
  /** Seconds; 0 = never rotate. */
  rollingUpdatePeriod?: number;
  tokenGenMethod: 'RSA-GEN' | 'UID-RSA-GEN';
}

export interface DomainRouteSpec {
  source: string;
  destination: string;
  interConnProtocol?: InterConnProtocolType;
  endpoint?: DomainEndpoint;
  transit?: Transit;
  authenticationType: DomainAuthenticationType;
  tokenConfig?: TokenConfig;
  bodyEncryption?: { algorithm: 'AES' | 'SM4' };
  mTLSConfig?: { tlsCA?: string; sourceClientPrivateKey?: string; sourceClientCert?: string };
  sourceWhiteIPList?: string[];
  /** Headers the destination gateway adds to requests coming from source. */
  requestHeadersToAdd?: Record<string, string>;
}

export interface DomainRouteToken {
  isReady: boolean;
  /** RSA-encrypted with the local domain's public key. */
  token?: string;
  revision?: number;
  revisionTime?: Time;
  expirationTime?: Time;
  heartBeatTime?: Time;
  /** Gateway instances that loaded this token. */
  effectiveInstances?: string[];
}

export interface DomainRouteTokenStatus {
  /** Gateway chosen to perform the handshake for this revision. */
  revisionInitializer?: string;
  revisionToken?: DomainRouteToken;
  /** The latest two tokens. */
  tokens?: DomainRouteToken[];
}

export interface DomainRouteStatus {
  isDestinationAuthorized?: boolean;
  isDestinationUnreachable?: boolean;
  tokenStatus?: DomainRouteTokenStatus;
}

export interface DomainRoute extends KubeObject {
  spec?: DomainRouteSpec;
  status?: DomainRouteStatus;
}

export const ClusterDomainRouteConditionType = {
  Running: 'Running',
  Pending: 'Pending',
  Failure: 'Failure',
  Ready: 'Ready',
} as const;
export type ClusterDomainRouteConditionType =
  (typeof ClusterDomainRouteConditionType)[keyof typeof ClusterDomainRouteConditionType];

export interface ClusterDomainRouteCondition {
  type: ClusterDomainRouteConditionType;
  status: ConditionStatus;
  lastUpdateTime?: Time;
  lastTransitionTime?: Time;
  reason?: string;
  message?: string;
}

export interface ClusterDomainRouteStatus {
  tokenStatus?: {
    revision?: number;
    revisionTime?: Time;
    sourceTokens?: DomainRouteToken[];
    destinationTokens?: DomainRouteToken[];
  };
  conditions?: ClusterDomainRouteCondition[];
  /** `"<gatewayName>-<portName>"` → health. */
  endpointStatuses?: Record<string, { endpointHealthy: boolean }>;
}

export interface ClusterDomainRoute extends KubeObject {
  spec?: DomainRouteSpec;
  status?: ClusterDomainRouteStatus;
}
