/** Node and Pod objects for the scheduler's unit tests, as the API would serve them. */
import { AgentTaint, Labels } from '../../crd/constants.ts';
import type { Node, Pod } from '../../kube/wire.ts';

export interface TestNodeSpec {
  cpu?: string;
  memory?: string;
  pods?: string;
  bandwidth?: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  ready?: boolean;
  unschedulable?: boolean;
}

export function testNode(name: string, spec: TestNodeSpec = {}): Node {
  const allocatable: Record<string, string> = { cpu: spec.cpu ?? '4', memory: spec.memory ?? '8Gi', pods: spec.pods ?? '110' };
  if (spec.bandwidth) allocatable['kuscia.io/bandwidth'] = spec.bandwidth;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: spec.labels ?? {} },
    spec: { taints: spec.taints, unschedulable: spec.unschedulable },
    status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: spec.ready === false ? 'False' : 'True' }] },
  };
}

/** A node as the agent registers it for `domain`: labelled and tainted for Kuscia pods only. */
export function agentNode(name: string, domain: string, spec: TestNodeSpec = {}): Node {
  return testNode(name, { ...spec, labels: { [Labels.NodeNamespace]: domain, ...spec.labels }, taints: [{ ...AgentTaint }, ...(spec.taints ?? [])] });
}

export interface TestPodSpec {
  namespace?: string;
  cpu?: string;
  memory?: string;
  bandwidth?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Array<{ key?: string; operator?: string; value?: string; effect?: string }>;
  priority?: number;
  nodeName?: string;
  phase?: string;
}

export function testPod(name: string, spec: TestPodSpec = {}): Pod {
  const requests: Record<string, string> = {};
  if (spec.cpu) requests['cpu'] = spec.cpu;
  if (spec.memory) requests['memory'] = spec.memory;
  if (spec.bandwidth) requests['kuscia.io/bandwidth'] = spec.bandwidth;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: spec.namespace ?? 'alice', uid: `uid-${name}` },
    spec: {
      containers: [{ name: 'main', image: 'app', resources: { requests } }],
      nodeSelector: spec.nodeSelector,
      tolerations: spec.tolerations,
      priority: spec.priority,
      nodeName: spec.nodeName,
    },
    status: { phase: spec.phase ?? 'Pending' },
  };
}

/** A Kuscia task pod: tolerates the agent taint and selects its domain's nodes. */
export function taskPod(name: string, domain: string, spec: TestPodSpec = {}): Pod {
  return testPod(name, {
    namespace: domain,
    ...spec,
    nodeSelector: { [Labels.NodeNamespace]: domain, ...spec.nodeSelector },
    tolerations: [{ key: AgentTaint.key, operator: 'Exists', effect: 'NoSchedule' }, ...(spec.tolerations ?? [])],
  });
}
