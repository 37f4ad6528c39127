import type { Node } from '../../kube/wire.ts';

/** The taint key kube-controller-manager puts on a node whose kubelet stopped reporting. */
export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';
const NOT_READY_TAINT_KEY = 'node.kubernetes.io/not-ready';

type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];
type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];

/** Ready is Unknown: the controller has already given up on the node. */
export function isMarkedUnknown(node: Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown';
}

/**
 * kube-controller-manager's tryUpdateNodeHealth for a silent node: every condition becomes Unknown
 * with reason NodeStatusUnknown (heartbeat kept, transition now); a node that never posted a Ready
 * condition gets one with NodeStatusNeverUpdated. Mutates `node.status` (a copy).
 */
export function markConditionsUnknown(node: Node, now: string): void {
  const status = (node.status ??= {});
  const conditions: NodeCondition[] = (status.conditions ?? []).map((c) =>
    c.status === 'Unknown' ? c : { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now as never },
  );
  if (!conditions.some((c) => c.type === 'Ready')) {
    conditions.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: now as never, lastTransitionTime: now as never });
  }
  status.conditions = conditions;
}

export function hasUnreachableTaints(node: Node): boolean {
  return (node.spec?.taints ?? []).some((t) => t.key === UNREACHABLE_TAINT_KEY);
}

/** The node's taints with unreachable NoSchedule + NoExecute in place of any not-ready ones. */
export function withUnreachableTaints(node: Node, now: string): Taint[] {
  const kept = (node.spec?.taints ?? []).filter((t) => t.key !== UNREACHABLE_TAINT_KEY && t.key !== NOT_READY_TAINT_KEY);
  return [...kept, { key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule' }, { key: UNREACHABLE_TAINT_KEY, effect: 'NoExecute', timeAdded: now as never }];
}

export function withoutUnreachableTaints(node: Node): Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.key !== UNREACHABLE_TAINT_KEY);
}
