/**
 * A gang is one TaskResource's pods; this is the scheduler's memory of it (nothing here is written
 * to the API) and its hold on capacity: the pods assumed onto nodes, released as a whole when the
 * reservation is void so a failed gang never keeps part of what it took.
 */
import { Labels } from '../crd/constants.ts';
import type { TaskResource } from '../crd/resource.ts';
import { objectKey } from '../kube/object-key.ts';
import { isPodTerminal } from '../kube/object-state.ts';
import type { Pod } from '../kube/wire.ts';
import { podInfoOf, type PodInfo } from './filter.ts';
import { TASK_RESOURCE_INDEX } from './scheduler-informers.ts';
import { isOurs } from './pod-ownership.ts';
import type { SchedulerContext } from './scheduler-context.ts';
import { gangUnitId } from './scheduling-units.ts';

/** One TaskResource's scheduling state (memory only). */
export interface Gang {
  key: string;
  namespace: string;
  name: string;
  /** Pods assumed onto nodes for this gang and not bound yet: pod key → node. */
  readonly assumed: Map<string, string>;
  /** Pods whose binding is in flight (their assumption stays until the API answers). */
  readonly binding: Set<string>;
  /** A TaskResource write is in flight; decisions wait for its outcome. */
  writing: boolean;
  /** resourceVersion of our last write: informer copies older than that are stale. */
  writtenRv: number;
  /** This scheduler placed the gang's minimum since the TaskResource last entered Reserving. */
  placed: boolean;
  expiry?: NodeJS.Timeout;
  /** The last shortfall reported, so it is written once per change. */
  shortfall?: string;
}

export interface GangPods {
  /** Unbound pods of ours that hold nothing yet, in name order. */
  pending: PodInfo[];
  pendingPods: Pod[];
  /** Bound, unfinished pods (they count toward minReservedPods). */
  bound: number;
  /** Every unfinished member. */
  total: number;
}

export function newGang(key: string): Gang {
  const slash = key.indexOf('/');
  return { key, namespace: key.slice(0, slash), name: key.slice(slash + 1), assumed: new Map(), binding: new Set(), writing: false, writtenRv: 0, placed: false };
}

/** The TaskResource's members as the pod cache has them now, sorted by name so placement is deterministic. */
export function gangPods(ctx: SchedulerContext, tr: TaskResource): GangPods {
  const key = objectKey(tr);
  const uid = tr.metadata?.uid;
  const pending: PodInfo[] = [];
  const pendingPods: Pod[] = [];
  let bound = 0;
  let total = 0;
  const pods = ctx.informers.pods.byIndex(TASK_RESOURCE_INDEX, key);
  pods.sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  for (const pod of pods) {
    // Kuscia counts the pods labelled with this TaskResource's uid (a namesake's pods do not belong).
    if (pod.metadata?.labels?.[Labels.TaskResourceUID] !== uid || isPodTerminal(pod) || !isOurs(ctx, pod)) continue;
    total++;
    if (pod.spec?.nodeName) {
      bound++;
      continue;
    }
    if (pod.metadata?.deletionTimestamp || ctx.cache.account(objectKey(pod))) continue;
    pending.push(podInfoOf(pod, ctx.cache.reader));
    pendingPods.push(pod);
  }
  return { pending, pendingPods, bound, total };
}

/** spec.minReservedPods, or every member when it is unset (Kuscia's default). */
export function minReservedPods(tr: TaskResource, members: number): number {
  const min = tr.spec?.minReservedPods;
  return typeof min === 'number' && min > 0 ? min : members;
}

export function clearExpiry(gang: Gang): void {
  if (gang.expiry) clearTimeout(gang.expiry);
  gang.expiry = undefined;
}

/** Frees every assumption of the gang that is not being bound right now. */
export function releaseGang(ctx: SchedulerContext, gang: Gang): void {
  clearExpiry(gang);
  for (const podKey of [...gang.assumed.keys()]) {
    if (gang.binding.has(podKey)) continue;
    gang.assumed.delete(podKey);
    ctx.cache.forget(podKey);
  }
}

/** Our reservation is void (failed, expired, or could not be recorded). */
export function abandon(ctx: SchedulerContext, gang: Gang): void {
  releaseGang(ctx, gang);
  gang.placed = false;
}

/** The TaskResource is gone: its gang releases what it holds and leaves memory and the queue. */
export function forgetGang(ctx: SchedulerContext, key: string): void {
  const gang = ctx.gangs.get(key);
  if (!gang) return;
  releaseGang(ctx, gang);
  ctx.gangs.delete(key);
  ctx.queue.forget(gangUnitId(key));
}

/** A pending pod went away (deleted, finished): whatever it was assumed onto is free again. */
export function dropAssumption(ctx: SchedulerContext, podKey: string): void {
  const acct = ctx.cache.account(podKey);
  if (!acct?.assumed) return;
  if (acct.owner) ctx.gangs.get(acct.owner)?.assumed.delete(podKey);
  ctx.cache.forget(podKey);
}

/** resourceVersion as a number for "is this copy older than our write" (0 when it is not numeric). */
export function resourceVersionOf(obj: { metadata?: { resourceVersion?: string } }): number {
  const rv = Number(obj.metadata?.resourceVersion);
  return Number.isFinite(rv) ? rv : 0;
}
