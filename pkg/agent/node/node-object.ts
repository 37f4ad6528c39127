import { arch, platform, release } from 'node:os';
import { KUBERNETES_VERSION } from '../../apiserver/http/version.ts';
import { AgentTaint, Labels } from '../../crd/constants.ts';
import type { Node } from '../../kube/wire.ts';
import type { RuntimeName } from '../runtime/pod-runtime.ts';
import type { NodeCondition } from './node-conditions.ts';
import type { NodeResources } from './node-resources.ts';

/** Which machine registered a node: compared when an agent finds its node already there. */
export const MACHINE_ID_ANNOTATION = 'node.kuscia.secretflow/machine-id';

/** The agent plays kubelet for the API server; it reports the API version it implements. */
export const AGENT_KUBELET_VERSION = KUBERNETES_VERSION.gitVersion;

export interface NodeIdentity {
  nodeName: string;
  domain: string;
  runtime: RuntimeName;
  machineId: string;
  bootId: string;
  osImage: string;
  /** The node's InternalIP: the address the log server listens on and pods (host network) use. */
  address: string;
}

/** Go's GOARCH names, which is what kubernetes.io/arch and nodeInfo.architecture carry. */
export function goArch(nodeArch: string = arch()): string {
  const names: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return names[nodeArch] ?? nodeArch;
}

/** Kuscia's node labels (reference §4.1) plus the kubelet's well-known ones. */
export function nodeLabels(id: NodeIdentity): Record<string, string> {
  return {
    'kubernetes.io/role': 'agent',
    // Label values may not carry the "+build" suffix of the version.
    'kubernetes.io/apiVersion': AGENT_KUBELET_VERSION.replace(/\+.*$/, ''),
    domain: id.domain,
    [Labels.Runtime]: id.runtime,
    [Labels.NodeNamespace]: id.domain,
    'kubernetes.io/hostname': id.nodeName,
    'kubernetes.io/os': platform(),
    'kubernetes.io/arch': goArch(),
  };
}

export function agentTaint(): { key: string; value: string; effect: string } {
  return { key: AgentTaint.key, value: AgentTaint.value, effect: AgentTaint.effect };
}

/** The Node as first created: metadata and spec (a create ignores status; it is written through nodes/status). */
export function newNodeObject(id: NodeIdentity): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: id.nodeName, labels: nodeLabels(id), annotations: { [MACHINE_ID_ANNOTATION]: id.machineId } },
    spec: { taints: [agentTaint()] },
  };
}

export interface NodeStatusInputs {
  resources: NodeResources;
  conditions: NodeCondition[];
  /** The log server's port: kubectl logs reaches the agent at InternalIP:port through the API server. */
  kubeletPort: number;
}

export function nodeStatus(id: NodeIdentity, inputs: NodeStatusInputs): NonNullable<Node['status']> {
  return {
    capacity: inputs.resources.capacity,
    allocatable: inputs.resources.allocatable,
    conditions: inputs.conditions,
    addresses: [
      { type: 'InternalIP', address: id.address },
      { type: 'Hostname', address: id.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: inputs.kubeletPort } },
    nodeInfo: {
      machineID: id.machineId,
      systemUUID: id.machineId,
      bootID: id.bootId,
      kernelVersion: release(),
      osImage: id.osImage,
      containerRuntimeVersion: `${id.runtime}://${AGENT_KUBELET_VERSION.replace(/^v/, '')}`,
      kubeletVersion: AGENT_KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: platform(),
      architecture: goArch(),
    },
  };
}
