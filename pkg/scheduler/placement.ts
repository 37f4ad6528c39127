/**
 * Choosing nodes: one pod at a time ({@link NodePicker}) and a whole gang at once, all or nothing
 * ({@link placeGang} on a {@link Statement}, Volcano's transaction: tentative assumptions that are
 * either committed together or rolled back as if they never happened).
 */
import type { SchedulerCache } from './cache.ts';
import { filterReasons, fitErrorMessage, FilterReason, fits, type PodInfo } from './filter.ts';
import type { NodeInfo } from './node-info.ts';

/** kube-scheduler: below this many nodes every node is looked at. */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/**
 * How many feasible nodes are enough to pick from (kube-scheduler's adaptive percentageOfNodesToScore:
 * 50% shrinking by 1% per 125 nodes, at least 5% and at least 100 nodes): scoring every node of a large
 * cluster buys little placement quality for a lot of time.
 */
export function feasibleNodesToFind(candidates: number): number {
  if (candidates < MIN_FEASIBLE_NODES_TO_FIND) return candidates;
  const percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - candidates / 125);
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((candidates * percentage) / 100));
}

/**
 * Least-allocated score (kube's NodeResourcesFit default): the share of CPU, memory and pod slots
 * left free after placing the pod, summed. Pod slots are included so pods without requests spread too.
 */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  const a = node.allocatable;
  const used = node.requested;
  const r = pod.request;
  let score = 0;
  if (a.milliCpu > 0) score += (a.milliCpu - used.milliCpu - r.milliCpu) / a.milliCpu;
  if (a.memory > 0) score += (a.memory - used.memory - r.memory) / a.memory;
  if (a.pods > 0) score += (a.pods - used.pods - r.pods) / a.pods;
  return score;
}

export class NodePicker {
  private readonly cache: SchedulerCache;
  /** Where the next search starts, so consecutive pods do not all probe the same first nodes. */
  private nextStart = 0;

  constructor(cache: SchedulerCache) {
    this.cache = cache;
  }

  /** The best node for the pod on the cache as it is now, or undefined when none fits. */
  pick(pod: PodInfo): string | undefined {
    const nodes = this.cache.candidates(pod.nodeSelector);
    const n = nodes.length;
    if (n === 0) return undefined;
    const wanted = feasibleNodesToFind(n);
    const start = this.nextStart % n;
    let best: NodeInfo | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    let found = 0;
    let looked = 0;
    while (looked < n && found < wanted) {
      const node = nodes[(start + looked) % n]!;
      looked++;
      if (!fits(pod, node)) continue;
      found++;
      const score = leastAllocatedScore(pod, node);
      if (score > bestScore) {
        bestScore = score;
        best = node;
      }
    }
    this.nextStart = (start + looked) % n;
    return best?.name;
  }

  /** kube-scheduler's "0/N nodes are available: ..." for a pod that fits nowhere. */
  explain(pod: PodInfo): string {
    const nodes = this.cache.candidates(pod.nodeSelector);
    const reasons = new Map<string, number>();
    const total = this.cache.nodeCount;
    const outside = total - nodes.length;
    if (outside > 0) reasons.set(FilterReason.selectorMismatch, outside);
    for (const node of nodes) {
      for (const reason of filterReasons(pod, node)) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    return fitErrorMessage(total, reasons);
  }
}

/** Tentative assumptions on the live cache, undone in reverse order unless committed. */
export class Statement {
  private readonly cache: SchedulerCache;
  private readonly assumed: string[] = [];

  constructor(cache: SchedulerCache) {
    this.cache = cache;
  }

  assume(pod: PodInfo, nodeName: string, owner: string): void {
    this.cache.assume(pod.key, nodeName, pod.request, owner);
    this.assumed.push(pod.key);
  }

  /** Rolls back: the cache is exactly as before the statement (no capacity "freed" notification). */
  discard(): void {
    for (let i = this.assumed.length - 1; i >= 0; i--) this.cache.forget(this.assumed[i]!, { notify: false });
    this.assumed.length = 0;
  }

  /** Keeps the assumptions; they now hold capacity until bound or forgotten. */
  commit(): void {
    this.assumed.length = 0;
  }
}

export interface Placement {
  pod: PodInfo;
  nodeName: string;
}

export type GangPlacement = { ok: true; placements: Placement[] } | { ok: false; message: string };

/**
 * Places as many of `pods` as fit, all on one statement, and keeps them only if at least `need`
 * fit: a gang either gets its minimum (and whatever more fits) or holds nothing at all. The failure
 * message is the first unplaceable pod's fit error as that pod saw the nodes, siblings included.
 */
export function placeGang(cache: SchedulerCache, picker: NodePicker, pods: readonly PodInfo[], need: number, owner: string): GangPlacement {
  const statement = new Statement(cache);
  const placements: Placement[] = [];
  let failure: string | undefined;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i]!;
    const nodeName = picker.pick(pod);
    if (nodeName !== undefined) {
      statement.assume(pod, nodeName, owner);
      placements.push({ pod, nodeName });
      continue;
    }
    failure ??= picker.explain(pod);
    // Give up as soon as the minimum is out of reach.
    if (placements.length + (pods.length - i - 1) < need) break;
  }
  if (placements.length >= need) {
    statement.commit();
    return { ok: true, placements };
  }
  statement.discard();
  const shortfall = `cannot place minReservedPods=${need} pods together`;
  return { ok: false, message: failure ? `${shortfall}: ${failure}` : `${shortfall}: only ${pods.length} pending.` };
}
