/** Gateway: one per Envoy instance of a domain, kept alive by heartbeats (Go: gateway_types.go). */
import type { KubeObject } from '../apiserver/api/object.ts';
import type { Time } from './common.ts';

export interface GatewayEndpointStatus {
  name: string;
  /** e.g. `DomainRoute`. */
  type: string;
  totalEndpointsCount: number;
  healthyEndpointsCount: number;
}

export interface GatewayStatus {
  address?: string;
  uptime?: Time;
  heartbeatTime?: Time;
  /** Base64 RSA public key of the domain. */
  publicKey?: string;
  version?: string;
  networkStatus?: GatewayEndpointStatus[];
}

/** Gateway has no spec. */
export interface Gateway extends KubeObject {
  status?: GatewayStatus;
}
