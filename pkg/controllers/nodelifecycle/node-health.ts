import type { Lease, Node } from '../../kube/wire.ts';

/**
 * When each node last showed a sign of life, on this controller's clock (kube-controller-manager's
 * nodeHealthMap "probeTimestamp"): the moment a new Lease renewTime or a new Ready heartbeat was
 * *observed*, never the timestamps themselves, so clock skew between hosts does not matter.
 * A node first seen counts as alive then, so a restarted controller gives every node a full grace.
 */
export class NodeHealthTracker {
  private readonly seen = new Map<string, { probeMs: number; renewTime?: string; heartbeat?: string }>();

  observeNode(node: Node, nowMs: number): void {
    const name = node.metadata?.name;
    if (!name) return;
    const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime as string | undefined;
    const entry = this.seen.get(name);
    if (!entry) this.seen.set(name, { probeMs: nowMs, heartbeat });
    else if (heartbeat !== entry.heartbeat) {
      entry.heartbeat = heartbeat;
      entry.probeMs = nowMs;
    }
  }

  /** Returns true when the lease was renewed since last seen. */
  observeLease(lease: Lease, nowMs: number): boolean {
    const name = lease.metadata?.name;
    if (!name) return false;
    const renewTime = lease.spec?.renewTime as string | undefined;
    const entry = this.seen.get(name);
    if (!entry) {
      this.seen.set(name, { probeMs: nowMs, renewTime });
      return true;
    }
    if (renewTime === entry.renewTime) return false;
    entry.renewTime = renewTime;
    entry.probeMs = nowMs;
    return true;
  }

  forget(name: string): void {
    this.seen.delete(name);
  }

  /** Milliseconds since the node's last sign of life (0 for a node never seen). */
  silentFor(name: string, nowMs: number): number {
    const entry = this.seen.get(name);
    return entry ? nowMs - entry.probeMs : 0;
  }
}
