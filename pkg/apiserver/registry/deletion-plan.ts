/**
 * What a DELETE does to one object, decided without touching storage: kube-apiserver's
 * rest.BeforeDelete (graceful deletion), deletionFinalizersForGarbageCollection (the orphan and
 * foregroundDeletion finalizers), markAsDeleting (finalizers hold the object) and the namespace
 * registry's "Terminating first" rule. RestStorage executes the plan.
 */
import type { DeletionStrategy, TerminationStrategy } from '../api/deletion-strategy.ts';
import type { KubeObject } from '../api/object.ts';
import { deepCopyJson } from '../schema/json-value.ts';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type DeleteOptions } from './delete-options.ts';
import { metaTime } from './meta-time.ts';

export type DeletionPlan =
  /** A graceful deletion is already under way and this DELETE does not shorten it: nothing to write. */
  | { kind: 'pending' }
  /** Remove the object now. */
  | { kind: 'remove' }
  /** Write `object` (deletionTimestamp, grace period, finalizers); remove it right after when `remove`. */
  | { kind: 'mark'; object: KubeObject; remove: boolean };

export function planDeletion(current: KubeObject, options: DeleteOptions, strategy: DeletionStrategy | undefined, now: Date): DeletionPlan {
  if (strategy?.termination) return planTermination(current, options, strategy.termination, now);
  const obj = deepCopyJson(current);
  const grace = beginGracefulDeletion(obj, options, strategy, now);
  if (grace.pending) return { kind: 'pending' };
  const gc = finalizersForGarbageCollection(obj.metadata.finalizers ?? [], options);
  if (!grace.graceful && !hasFinalizers(obj) && !gc.changed) return { kind: 'remove' };
  if (gc.changed) setFinalizers(obj, gc.finalizers);
  const pendingFinalizers = hasFinalizers(obj);
  if (!grace.graceful) {
    if (!pendingFinalizers) return { kind: 'remove' };
    markAsDeleting(obj, now);
    return { kind: 'mark', object: obj, remove: false };
  }
  // Kubernetes writes the deletion timestamp even when the grace period is 0, so watchers see the
  // pod terminating (MODIFIED) before it goes (DELETED).
  return { kind: 'mark', object: obj, remove: !pendingFinalizers && grace.period === 0 };
}

interface GracefulStart {
  graceful: boolean;
  pending: boolean;
  period?: number;
}

/**
 * rest.BeforeDelete for kinds with a grace period: the first DELETE sets deletionTimestamp = now +
 * grace and deletionGracePeriodSeconds = grace; a later one may only shorten the period (moving the
 * timestamp by the difference) — anything else leaves the deletion pending.
 */
export function beginGracefulDeletion(obj: KubeObject, options: DeleteOptions, strategy: DeletionStrategy | undefined, now: Date): GracefulStart {
  const meta = obj.metadata;
  let requested = options.gracePeriodSeconds;
  if (requested !== undefined && requested < 0) requested = 1;
  if (meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds < 0) meta.deletionGracePeriodSeconds = 1;
  const gracePeriod = strategy?.gracePeriodSeconds;
  if (!gracePeriod) return { graceful: false, pending: false };
  if (meta.deletionTimestamp) {
    const current = meta.deletionGracePeriodSeconds;
    // Already at 0 (or never set): delete now, which also recovers from a crash between the
    // two writes of a grace-0 deletion.
    if (current === undefined || current === 0) return { graceful: false, pending: false };
    if (requested === undefined || requested >= current) return { graceful: false, pending: true };
    const shifted = new Date(Date.parse(meta.deletionTimestamp) + (requested - current) * 1000);
    meta.deletionTimestamp = metaTime(shifted);
    meta.deletionGracePeriodSeconds = requested;
    return { graceful: true, pending: false, period: requested };
  }
  let period = gracePeriod(obj, requested);
  if (period < 0) period = 1;
  meta.deletionTimestamp = metaTime(new Date(now.getTime() + period * 1000));
  meta.deletionGracePeriodSeconds = period;
  if ((meta.generation ?? 0) > 0) meta.generation = (meta.generation ?? 0) + 1;
  return { graceful: true, pending: false, period };
}

/**
 * The garbage collector's finalizers after this DELETE: an explicit policy (or orphanDependents)
 * decides; without one, finalizers already on the object stand; the default is Background
 * (neither finalizer).
 */
export function finalizersForGarbageCollection(finalizers: string[], options: DeleteOptions): { changed: boolean; finalizers: string[] } {
  const orphan = shouldOrphan(finalizers, options);
  const foreground = shouldDeleteInForeground(finalizers, options);
  const next = finalizers.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (orphan) next.push(FINALIZER_ORPHAN);
  if (foreground) next.push(FINALIZER_FOREGROUND);
  const changed = !sameSet(finalizers, next);
  return { changed, finalizers: changed ? next : finalizers };
}

function shouldOrphan(finalizers: string[], options: DeleteOptions): boolean {
  if (options.orphanDependents !== undefined) return options.orphanDependents;
  if (options.propagationPolicy) return options.propagationPolicy === 'Orphan';
  for (const f of finalizers) {
    if (f === FINALIZER_ORPHAN) return true;
    if (f === FINALIZER_FOREGROUND) return false;
  }
  return false;
}

function shouldDeleteInForeground(finalizers: string[], options: DeleteOptions): boolean {
  if (options.orphanDependents !== undefined) return false;
  if (options.propagationPolicy) return options.propagationPolicy === 'Foreground';
  for (const f of finalizers) {
    if (f === FINALIZER_FOREGROUND) return true;
    if (f === FINALIZER_ORPHAN) return false;
  }
  return false;
}

/** markAsDeleting: finalizers hold the object; it is marked with grace 0 and a timestamp no later than now. */
export function markAsDeleting(obj: KubeObject, now: Date): void {
  const meta = obj.metadata;
  if (!meta.deletionTimestamp && (meta.generation ?? 0) > 0) meta.generation = (meta.generation ?? 0) + 1;
  if (!meta.deletionTimestamp || Date.parse(meta.deletionTimestamp) > now.getTime()) meta.deletionTimestamp = metaTime(now);
  meta.deletionGracePeriodSeconds = 0;
}

/**
 * The namespace registry's Delete: the first DELETE only sets deletionTimestamp and the
 * Terminating phase (plus the GC finalizers an explicit policy asks for); later ones change
 * nothing while the kind's own finalizers hold it, then it is deleted like any object.
 */
function planTermination(current: KubeObject, options: DeleteOptions, termination: TerminationStrategy, now: Date): DeletionPlan {
  if (current.metadata.deletionTimestamp) {
    if (termination.held(current)) return { kind: 'pending' };
    return planDeletion(current, options, undefined, now);
  }
  const obj = deepCopyJson(current);
  obj.metadata.deletionTimestamp = metaTime(now);
  termination.begin(obj);
  const finalizers = obj.metadata.finalizers ?? [];
  const wantOrphan = options.orphanDependents ?? (options.propagationPolicy ? options.propagationPolicy === 'Orphan' : finalizers.includes(FINALIZER_ORPHAN));
  const wantForeground =
    options.orphanDependents !== undefined
      ? !options.orphanDependents
      : options.propagationPolicy
        ? options.propagationPolicy === 'Foreground'
        : finalizers.includes(FINALIZER_FOREGROUND);
  const next = finalizers.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (wantOrphan) next.push(FINALIZER_ORPHAN);
  if (wantForeground) next.push(FINALIZER_FOREGROUND);
  if (!sameSet(finalizers, next)) setFinalizers(obj, next);
  return { kind: 'mark', object: obj, remove: false };
}

function hasFinalizers(obj: KubeObject): boolean {
  return (obj.metadata.finalizers ?? []).length > 0;
}

function setFinalizers(obj: KubeObject, finalizers: string[]): void {
  if (finalizers.length > 0) obj.metadata.finalizers = finalizers;
  else delete obj.metadata.finalizers;
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
