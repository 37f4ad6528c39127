/**
 * The scheduler's view of one node: what it offers (from the Node object) and what is already
 * taken on it (bound pods that have not finished, plus pods this scheduler has assumed onto it).
 * `requested` is kept incrementally by the cache, so a fit check is four comparisons.
 */
import { isNodeReady } from '../kube/object-state.ts';
import type { Node } from '../kube/wire.ts';
import { nodeAllocatable, zeroResources, type QuantityReader, type Resources } from './resources.ts';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export class NodeInfo {
  readonly name: string;
  /** False until the Node object is known (pods may be seen bound to it first). */
  known = false;
  ready = false;
  unschedulable = false;
  labels: Readonly<Record<string, string>> = {};
  /** Only the taints that keep pods off (NoSchedule, NoExecute); PreferNoSchedule is a scoring hint. */
  taints: readonly Taint[] = [];
  allocatable: Resources = zeroResources();
  readonly requested: Resources = zeroResources();
  /** Keys of the pods counted in `requested`. */
  readonly pods = new Set<string>();

  constructor(name: string) {
    this.name = name;
  }

  /** Takes what scheduling needs from the Node; answers whether the node can now hold more than before. */
  update(node: Node, reader: QuantityReader): boolean {
    const before = { usable: this.usable(), allocatable: this.allocatable, placement: this.placementSignature() };
    this.known = true;
    this.ready = isNodeReady(node);
    this.unschedulable = node.spec?.unschedulable === true;
    this.labels = node.metadata?.labels ?? {};
    this.taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute').map((t) => ({ key: t.key, value: t.value, effect: t.effect }));
    this.allocatable = nodeAllocatable(node, reader);
    const a = this.allocatable;
    const b = before.allocatable;
    if (this.usable() && !before.usable) return true;
    if (this.placementSignature() !== before.placement) return true;
    return a.milliCpu > b.milliCpu || a.memory > b.memory || a.pods > b.pods || a.bandwidth > b.bandwidth;
  }

  /** Labels and taints decide which pods may go here; heartbeats change neither. */
  private placementSignature(): string {
    return JSON.stringify([this.labels, this.taints]);
  }

  /** Known, Ready and not cordoned: the only nodes pods are placed on. */
  usable(): boolean {
    return this.known && this.ready && !this.unschedulable;
  }
}
