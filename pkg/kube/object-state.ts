import type { Node, Pod } from './wire.ts';

/** A pod that has finished (Succeeded or Failed): it no longer holds node resources or ports. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** A node whose Ready condition is True (kubelet's heartbeat says it can run pods). */
export function isNodeReady(node: Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
