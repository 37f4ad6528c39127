/**
 * The scheduler's node accounting, kept incrementally from informer events: per node what it
 * offers and what is taken, where "taken" is every bound pod that has not finished (terminating
 * pods included, until they are gone) plus the pods this scheduler has *assumed* onto a node but not
 * bound yet (a reservation). Assumptions live only in memory: after a restart the cache is rebuilt
 * from the API and only bound pods count.
 */
import type { Node } from '../kube/wire.ts';
import { NodeInfo } from './node-info.ts';
import { addResources, subtractResources, type QuantityReader, type Resources } from './resources.ts';

export interface PodAccount {
  key: string;
  nodeName: string;
  request: Resources;
  /** True while only this scheduler knows the pod is on the node (not bound in the API yet). */
  assumed: boolean;
  /** The gang (TaskResource key) an assumption belongs to. */
  owner?: string;
}

interface LabelBucket {
  nodes: Set<NodeInfo>;
  /** Array form for indexed iteration, rebuilt lazily after membership changes. */
  list?: NodeInfo[];
}

export class SchedulerCache {
  readonly reader: QuantityReader;
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly accounts = new Map<string, PodAccount>();
  private readonly byLabel = new Map<string, LabelBucket>();
  private readonly known = new Set<NodeInfo>();
  private knownList?: NodeInfo[];
  /** Called when capacity may have become available (so waiting pods are worth another try). */
  private readonly onCapacityFreed: () => void;

  constructor(reader: QuantityReader, onCapacityFreed: () => void = () => {}) {
    this.reader = reader;
    this.onCapacityFreed = onCapacityFreed;
  }

  upsertNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.nodeInfoFor(name);
    const wasKnown = info.known;
    const oldLabels = info.labels;
    const roomier = info.update(node, this.reader);
    // Heartbeats arrive all the time and change no label: keep the buckets (and their arrays) as they are.
    if (!wasKnown || !sameLabels(oldLabels, info.labels)) {
      if (wasKnown) this.unindex(info, oldLabels);
      this.index(info);
    }
    if (!wasKnown || roomier) this.onCapacityFreed();
  }

  deleteNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info || !info.known) return;
    this.unindex(info, info.labels);
    info.known = false;
    // Pods still bound to it keep their accounting until they are gone.
    if (info.pods.size === 0) this.nodes.delete(name);
  }

  getNode(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** Nodes whose Node object is known (Ready or not): the "N" of "0/N nodes are available". */
  get nodeCount(): number {
    return this.known.size;
  }

  /**
   * The nodes a pod with this nodeSelector can possibly go to: the smallest label bucket among the
   * selector's pairs (the rest of the selector is still checked per node), or every known node.
   */
  candidates(nodeSelector: ReadonlyArray<readonly [string, string]>): readonly NodeInfo[] {
    let best: LabelBucket | undefined;
    for (const [k, v] of nodeSelector) {
      const bucket = this.byLabel.get(labelKey(k, v));
      if (!bucket) return [];
      if (!best || bucket.nodes.size < best.nodes.size) best = bucket;
    }
    if (best) return (best.list ??= [...best.nodes]);
    return (this.knownList ??= [...this.known]);
  }

  account(podKey: string): PodAccount | undefined {
    return this.accounts.get(podKey);
  }

  isAssumed(podKey: string): boolean {
    return this.accounts.get(podKey)?.assumed === true;
  }

  /**
   * The API says the pod is bound to `nodeName` and not finished. An assumption on the same node
   * becomes a binding at no cost; anything else is (re)counted on the node the API names.
   */
  observeBound(podKey: string, nodeName: string, request: () => Resources): void {
    const acct = this.accounts.get(podKey);
    if (acct && acct.nodeName === nodeName) {
      acct.assumed = false;
      acct.owner = undefined;
      return;
    }
    const req = acct?.request ?? finite(request());
    if (acct) this.remove(acct);
    this.add({ key: podKey, nodeName, request: req, assumed: false });
    if (acct) this.onCapacityFreed();
  }

  /** The pod finished or is gone: whatever it held is free again. */
  observeGone(podKey: string): void {
    const acct = this.accounts.get(podKey);
    if (!acct) return;
    this.remove(acct);
    this.onCapacityFreed();
  }

  /** Holds `request` on the node for a pod that is not bound yet. */
  assume(podKey: string, nodeName: string, request: Resources, owner?: string): void {
    const existing = this.accounts.get(podKey);
    if (existing) throw new Error(`pod ${podKey} is already accounted on node ${existing.nodeName}`);
    this.add({ key: podKey, nodeName, request, assumed: true, owner });
  }

  /**
   * Drops an assumption (a binding that is no longer wanted). `notify: false` for rolling back a
   * tentative placement, which only restores the state from before it: nothing new is free.
   */
  forget(podKey: string, options: { notify?: boolean } = {}): boolean {
    const acct = this.accounts.get(podKey);
    if (!acct || !acct.assumed) return false;
    this.remove(acct);
    if (options.notify !== false) this.onCapacityFreed();
    return true;
  }

  private add(acct: PodAccount): void {
    const info = this.nodeInfoFor(acct.nodeName);
    addResources(info.requested, acct.request);
    info.pods.add(acct.key);
    this.accounts.set(acct.key, acct);
  }

  private remove(acct: PodAccount): void {
    this.accounts.delete(acct.key);
    const info = this.nodes.get(acct.nodeName);
    if (!info) return;
    subtractResources(info.requested, acct.request);
    info.pods.delete(acct.key);
    if (!info.known && info.pods.size === 0) this.nodes.delete(info.name);
  }

  private nodeInfoFor(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo(name)));
    return info;
  }

  private index(info: NodeInfo): void {
    if (!this.known.has(info)) {
      this.known.add(info);
      this.knownList = undefined;
    }
    for (const [k, v] of Object.entries(info.labels)) {
      const key = labelKey(k, v);
      let bucket = this.byLabel.get(key);
      if (!bucket) this.byLabel.set(key, (bucket = { nodes: new Set() }));
      if (!bucket.nodes.has(info)) {
        bucket.nodes.add(info);
        bucket.list = undefined;
      }
    }
  }

  /** Removes the node from the label buckets of `labels` (before a relabel or on delete). */
  private unindex(info: NodeInfo, labels: Readonly<Record<string, string>>): void {
    if (this.known.delete(info)) this.knownList = undefined;
    for (const [k, v] of Object.entries(labels)) {
      const key = labelKey(k, v);
      const bucket = this.byLabel.get(key);
      if (!bucket?.nodes.delete(info)) continue;
      bucket.list = undefined;
      if (bucket.nodes.size === 0) this.byLabel.delete(key);
    }
  }
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k]);
}

function labelKey(k: string, v: string): string {
  return `${k}=${v}`;
}

/** A bound pod's requests were validated by the API server; never let a bad one poison a node's sums. */
function finite(r: Resources): Resources {
  const f = (n: number) => (Number.isFinite(n) ? n : 0);
  return { milliCpu: f(r.milliCpu), memory: f(r.memory), pods: f(r.pods), bandwidth: f(r.bandwidth) };
}
