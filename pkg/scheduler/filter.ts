/**
 * Whether a pod may go on a node, with kube-scheduler's reasons when it may not (the texts users
 * know from `kubectl describe pod`): NotReady and cordoned nodes, untolerated NoSchedule/NoExecute
 * taints, nodeSelector, and requests against allocatable minus what is taken.
 */
import type { Pod } from '../kube/wire.ts';
import type { NodeInfo, Taint } from './node-info.ts';
import { podRequests, ResourceName, type QuantityReader, type Resources } from './resources.ts';

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** What placement needs to know about a pod, extracted once per scheduling attempt. */
export interface PodInfo {
  /** `namespace/name`. */
  key: string;
  namespace: string;
  name: string;
  uid: string;
  request: Resources;
  nodeSelector: ReadonlyArray<readonly [string, string]>;
  tolerations: readonly Toleration[];
  priority: number;
}

export function podInfoOf(pod: Pod, reader: QuantityReader): PodInfo {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  return {
    key: `${namespace}/${name}`,
    namespace,
    name,
    uid: pod.metadata?.uid ?? '',
    request: podRequests(pod, reader),
    nodeSelector: Object.entries(pod.spec?.nodeSelector ?? {}),
    tolerations: pod.spec?.tolerations ?? [],
    priority: pod.spec?.priority ?? 0,
  };
}

/** kube-scheduler's filter reasons (plugin error texts). */
export const FilterReason = {
  notReady: 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
  unschedulable: 'node(s) were unschedulable',
  selectorMismatch: "node(s) didn't match Pod's node affinity/selector",
  tooManyPods: 'Too many pods',
  untoleratedTaint: (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`,
  insufficient: (resource: string) => `Insufficient ${resource}`,
} as const;

/**
 * Kubernetes' ToleratesTaint: an empty toleration effect matches every effect; an empty key with
 * operator Exists matches every key; Exists ignores the value, Equal (the default) compares it.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator || 'Equal';
  if (operator === 'Exists') return true;
  if (operator === 'Equal') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
}

/** The first taint no toleration covers, if any (only NoSchedule / NoExecute taints reach here). */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  return taints.find((taint) => !tolerations.some((t) => toleratesTaint(t, taint)));
}

export function matchesNodeSelector(labels: Readonly<Record<string, string>>, selector: PodInfo['nodeSelector']): boolean {
  for (const [k, v] of selector) if (labels[k] !== v) return false;
  return true;
}

/**
 * Resource fit on top of what the node already holds. Like kube-scheduler, a resource the pod does
 * not request is not checked, and every insufficient resource is reported (not just the first).
 */
export function insufficientResources(request: Resources, node: NodeInfo, out: string[]): void {
  const a = node.allocatable;
  const used = node.requested;
  if (used.pods + request.pods > a.pods) out.push(FilterReason.tooManyPods);
  if (request.milliCpu > 0 && request.milliCpu > a.milliCpu - used.milliCpu) out.push(FilterReason.insufficient(ResourceName.cpu));
  if (request.memory > 0 && request.memory > a.memory - used.memory) out.push(FilterReason.insufficient(ResourceName.memory));
  if (request.bandwidth > 0 && request.bandwidth > a.bandwidth - used.bandwidth) out.push(FilterReason.insufficient(ResourceName.bandwidth));
}

/** True when the pod fits; the allocation-free fast path of {@link filterReasons}. */
export function fits(pod: PodInfo, node: NodeInfo): boolean {
  if (!node.usable()) return false;
  if (!matchesNodeSelector(node.labels, pod.nodeSelector)) return false;
  if (node.taints.length > 0 && untoleratedTaint(node.taints, pod.tolerations)) return false;
  const a = node.allocatable;
  const used = node.requested;
  const r = pod.request;
  return (
    used.pods + r.pods <= a.pods &&
    (r.milliCpu <= 0 || r.milliCpu <= a.milliCpu - used.milliCpu) &&
    (r.memory <= 0 || r.memory <= a.memory - used.memory) &&
    (r.bandwidth <= 0 || r.bandwidth <= a.bandwidth - used.bandwidth)
  );
}

/** Why the pod does not fit (empty: it fits). Checks run in kube-scheduler's filter order. */
export function filterReasons(pod: PodInfo, node: NodeInfo): string[] {
  if (!node.known || !node.ready) return [FilterReason.notReady];
  if (node.unschedulable) return [FilterReason.unschedulable];
  if (!matchesNodeSelector(node.labels, pod.nodeSelector)) return [FilterReason.selectorMismatch];
  const taint = untoleratedTaint(node.taints, pod.tolerations);
  if (taint) return [FilterReason.untoleratedTaint(taint)];
  const out: string[] = [];
  insufficientResources(pod.request, node, out);
  return out;
}

/**
 * kube-scheduler's FitError text: "0/3 nodes are available: 1 node(s) were unschedulable, 2
 * Insufficient cpu." — one "<count> <reason>" per distinct reason, sorted.
 */
export function fitErrorMessage(totalNodes: number, reasons: ReadonlyMap<string, number>): string {
  if (totalNodes === 0) return 'no nodes available to schedule pods';
  const parts = [...reasons].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${totalNodes} nodes are available${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}
