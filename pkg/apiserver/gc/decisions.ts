/**
 * The garbage collector's decisions, free of storage so they can be tested alone. They follow
 * kube-controller-manager's attemptToDeleteItem: an owner reference is *solid* (the owner exists
 * with that uid), *dangling* (absent, or another object with that name) or *waiting* (the owner is
 * being deleted in the foreground and waits for its dependents).
 */
import type { KubeObject, OwnerReference } from '../api/object.ts';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type PropagationPolicy } from '../registry/delete-options.ts';

export type OwnerState = 'solid' | 'dangling' | 'waiting';

/** `owner` is what is stored where the reference points (namespace/kind/name), if anything. */
export function ownerState(ref: Pick<OwnerReference, 'uid'>, owner: KubeObject | undefined): OwnerState {
  if (!owner || owner.metadata.uid !== ref.uid) return 'dangling';
  return isDeletingInForeground(owner) ? 'waiting' : 'solid';
}

export function isDeletingInForeground(obj: KubeObject): boolean {
  return !!obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND);
}

export type DependentAction =
  /** At least one owner is alive and nothing needs tidying. */
  | { kind: 'keep' }
  /** Alive owners remain; references to gone or foreground-deleting owners are removed so those can finish. */
  | { kind: 'dropOwnerReferences'; uids: string[] }
  /** No owner is alive: collect it. `unblockFirst` breaks a foreground-deletion cycle. */
  | { kind: 'delete'; policy: PropagationPolicy; unblockFirst: boolean };

export interface DependentFacts {
  /** The dependent's own finalizers decide how its deletion propagates further. */
  finalizers: string[];
  /** Other objects name this one as their owner. */
  hasDependents: boolean;
  /** One of those is itself deleting its dependents first (asked only when it matters). */
  dependentDeletingInForeground: () => boolean;
}

export function decideForDependent(owners: Array<{ uid: string; state: OwnerState }>, facts: DependentFacts): DependentAction {
  const solid = owners.filter((o) => o.state === 'solid');
  const waiting = owners.filter((o) => o.state === 'waiting');
  const dangling = owners.filter((o) => o.state === 'dangling');
  if (solid.length > 0) {
    const uids = [...dangling, ...waiting].map((o) => o.uid);
    return uids.length > 0 ? { kind: 'dropOwnerReferences', uids } : { kind: 'keep' };
  }
  // An owner waits for us and we have dependents of our own: they go first, so we are deleted in
  // the foreground too (the waiting owner then waits for the whole subtree).
  if (waiting.length > 0 && facts.hasDependents) {
    return { kind: 'delete', policy: 'Foreground', unblockFirst: facts.dependentDeletingInForeground() };
  }
  const policy: PropagationPolicy = facts.finalizers.includes(FINALIZER_ORPHAN) ? 'Orphan' : facts.finalizers.includes(FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
  return { kind: 'delete', policy, unblockFirst: false };
}

/** The owner reference of `dependent` to the owner with `ownerUid`, if it has one. */
export function referenceTo(dependent: KubeObject, ownerUid: string): OwnerReference | undefined {
  return (dependent.metadata.ownerReferences ?? []).find((r) => r.uid === ownerUid);
}

/** Removes the references to the given owners; false when there were none. */
export function dropOwnerReferences(obj: KubeObject, uids: ReadonlySet<string>): boolean {
  const refs = obj.metadata.ownerReferences ?? [];
  const kept = refs.filter((r) => !uids.has(r.uid));
  if (kept.length === refs.length) return false;
  if (kept.length > 0) obj.metadata.ownerReferences = kept;
  else delete obj.metadata.ownerReferences;
  return true;
}

/** Sets blockOwnerDeletion=false on every blocking reference; false when none blocked. */
export function unblockOwnerReferences(obj: KubeObject): boolean {
  let changed = false;
  for (const ref of obj.metadata.ownerReferences ?? []) {
    if (ref.blockOwnerDeletion) {
      ref.blockOwnerDeletion = false;
      changed = true;
    }
  }
  return changed;
}

/** Removes one finalizer; false when it was not there. */
export function removeFinalizer(obj: KubeObject, finalizer: string): boolean {
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return false;
  const kept = finalizers.filter((f) => f !== finalizer);
  if (kept.length > 0) obj.metadata.finalizers = kept;
  else delete obj.metadata.finalizers;
  return true;
}
