/**
 * The two documents every task pod receives (proto kuscia.proto.api.v1alpha1.appconfig): the
 * ClusterDefine (every party's Service endpoints, plus which party and endpoint the pod is) and its
 * AllocatedPorts. Apps parse them as protojson written with EmitUnpopulated, so every field is
 * present even when empty, names are lowerCamelCase and keys come in proto field order.
 */
import type { PortProtocol, PortScope } from '../../crd/index.ts';
import type { PartyKit } from './party-kit.ts';
import type { ResolvedPort } from './port-assignment.ts';

export interface ClusterDefineService {
  portName: string;
  endpoints: string[];
}

export interface ClusterDefineParty {
  name: string;
  role: string;
  services: ClusterDefineService[];
}

export interface ClusterDefine {
  parties: ClusterDefineParty[];
  selfPartyIdx: number;
  selfEndpointIdx: number;
}

export interface AllocatedPortsConfig {
  ports: Array<{ name: string; port: number; scope: PortScope; protocol: PortProtocol }>;
}

/**
 * One party of the ClusterDefine: for each Service-backed port, one endpoint per pod (in replica
 * order). Cluster-scoped ports are reached through the gateway by name only; Domain-scoped ones
 * directly, so they carry the port number.
 */
export function clusterDefineParty(kit: PartyKit, portsByPod: ReadonlyArray<readonly ResolvedPort[]>): ClusterDefineParty {
  return {
    name: kit.domainID,
    role: kit.role,
    services: kit.servicedPorts.map((port) => ({
      portName: port.name,
      endpoints: kit.pods.map((pod, i) => {
        const host = `${pod.serviceNames[port.name]}.${kit.domainID}.svc`;
        if (port.scope !== 'Domain') return host;
        const number = portsByPod[i]?.find((p) => p.name === port.name)?.port ?? 0;
        return `${host}:${number}`;
      }),
    })),
  };
}

export function podClusterDefine(parties: ClusterDefineParty[], selfPartyIdx: number, selfEndpointIdx: number): ClusterDefine {
  return { parties, selfPartyIdx, selfEndpointIdx };
}

export function allocatedPortsConfig(ports: readonly ResolvedPort[]): AllocatedPortsConfig {
  return { ports: ports.map((p) => ({ name: p.name, port: p.port, scope: p.scope, protocol: p.protocol })) };
}

/** protojson (EmitUnpopulated) of a message built by the functions above: compact JSON in field order. */
export function toProtoJson(message: ClusterDefine | AllocatedPortsConfig): string {
  return JSON.stringify(message);
}
