/**
 * The permit check before a task creates anything (Kuscia: ResourceCheckPlugin): a party's summed
 * container requests must fit into the free capacity of one Ready node of its domain, where free =
 * allocatable minus the requests of the non-terminal pods bound to it. Failing early gives the user
 * a reason ("insufficient cpu in domain bob ...") instead of a task stuck until its lifecycle ends.
 */
import type { Container } from '../../crd/index.ts';
import type { Node, Pod } from '../../kube/wire.ts';
import { isPodTerminal } from '../../kube/object-state.ts';
import { formatQuantity, parseQuantity } from '../common/quantity.ts';

/** Requests in nano-units (exact Kubernetes quantities). */
export interface Amounts {
  cpu: bigint;
  memory: bigint;
}

export interface NodeFree extends Amounts {
  name: string;
}

const CHECKED = ['cpu', 'memory'] as const;

type Resources = { requests?: Record<string, string | number>; limits?: Record<string, string | number> } | undefined;

function nanosOf(value: string | number | undefined): bigint {
  return value === undefined ? 0n : parseQuantity(value).nanos;
}

/** A container's request; a resource with only a limit requests the limit (Kubernetes' defaulting). */
function containerRequest(resources: Resources): Amounts {
  const get = (name: string) => nanosOf(resources?.requests?.[name] ?? resources?.limits?.[name]);
  return { cpu: get('cpu'), memory: get('memory') };
}

function add(a: Amounts, b: Amounts): Amounts {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory };
}

const ZERO: Amounts = { cpu: 0n, memory: 0n };

/** What a party asks for in all: its containers' requests times its replicas. */
export function partyRequest(containers: readonly Container[], replicas: number): Amounts {
  const perPod = containers.reduce((sum, c) => add(sum, containerRequest(c.resources)), ZERO);
  return { cpu: perPod.cpu * BigInt(replicas), memory: perPod.memory * BigInt(replicas) };
}

/** A pod's effective request, as the scheduler counts it: max(sum of containers, largest init container). */
export function podRequest(pod: Pod): Amounts {
  const containers = (pod.spec?.containers ?? []).reduce((sum, c) => add(sum, containerRequest(c.resources as Resources)), ZERO);
  let { cpu, memory } = containers;
  for (const init of pod.spec?.initContainers ?? []) {
    const r = containerRequest(init.resources as Resources);
    if (r.cpu > cpu) cpu = r.cpu;
    if (r.memory > memory) memory = r.memory;
  }
  return { cpu, memory };
}

/** Allocatable minus what the node's running and pending pods request. */
export function nodeFree(node: Node, podsOnNode: readonly Pod[]): NodeFree {
  const allocatable = node.status?.allocatable ?? node.status?.capacity ?? {};
  let free: Amounts = { cpu: nanosOf(allocatable['cpu']), memory: nanosOf(allocatable['memory']) };
  for (const pod of podsOnNode) {
    if (isPodTerminal(pod)) continue;
    const used = podRequest(pod);
    free = { cpu: free.cpu - used.cpu, memory: free.memory - used.memory };
  }
  return { name: node.metadata?.name ?? '', ...free };
}

function show(resource: (typeof CHECKED)[number], nanos: bigint): string {
  return formatQuantity({ nanos: nanos < 0n ? 0n : nanos, format: resource === 'memory' ? 'BinarySI' : 'DecimalSI' });
}

/** Undefined when some node fits the request, else why not (naming the domain and the resource). */
export function partyFitProblem(domainID: string, request: Amounts, readyNodes: readonly NodeFree[]): string | undefined {
  if (readyNodes.length === 0) return `no Ready node in domain ${domainID}`;
  if (readyNodes.some((n) => request.cpu <= n.cpu && request.memory <= n.memory)) return undefined;
  for (const resource of CHECKED) {
    const largest = readyNodes.reduce((max, n) => (n[resource] > max ? n[resource] : max), readyNodes[0]![resource]);
    if (request[resource] > largest) {
      return `insufficient ${resource} in domain ${domainID}: requests ${show(resource, request[resource])}, largest free ${show(resource, largest)}`;
    }
  }
  return `insufficient resources in domain ${domainID}: no Ready node has cpu ${show('cpu', request.cpu)} and memory ${show('memory', request.memory)} free at once`;
}
