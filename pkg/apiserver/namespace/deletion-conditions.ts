/**
 * The status conditions the namespace controller keeps on a Terminating namespace, worded as
 * kube-controller-manager words them. Every type is always present: True while something is wrong
 * or left, False (with an "all fine" message) otherwise.
 */
export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

/** What one pass over a terminating namespace found. */
export interface ContentTotals {
  /** "<resource>.<group>" → objects still there. */
  remainingByResource: Map<string, number>;
  /** finalizer → objects it still holds. */
  remainingByFinalizer: Map<string, number>;
  /** Resource types whose content could not be deleted, with why. */
  deleteErrors: string[];
}

const okConditions: Record<string, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

export function deletionConditions(totals: ContentTotals): NamespaceCondition[] {
  const failing = new Map<string, NamespaceCondition>();
  if (totals.deleteErrors.length > 0) {
    const errors = [...totals.deleteErrors].sort();
    failing.set('NamespaceDeletionContentFailure', {
      type: 'NamespaceDeletionContentFailure',
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${errors.length} remaining: ${errors.join(', ')}`,
    });
  }
  const resources = [...totals.remainingByResource].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`).sort();
  if (resources.length > 0) {
    failing.set('NamespaceContentRemaining', {
      type: 'NamespaceContentRemaining',
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${resources.join(', ')}`,
    });
  }
  const finalizers = [...totals.remainingByFinalizer].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (finalizers.length > 0) {
    failing.set('NamespaceFinalizersRemaining', {
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`,
    });
  }
  return Object.entries(okConditions).map(([type, ok]) => failing.get(type) ?? { type, status: 'False', ...ok });
}

/**
 * Merges freshly computed conditions into the existing ones: a condition keeps its place and its
 * lastTransitionTime unless its status flips. Returns undefined when nothing changed.
 */
export function mergeConditions(existing: NamespaceCondition[], next: NamespaceCondition[], now: string): NamespaceCondition[] | undefined {
  const merged = existing.map((c) => ({ ...c }));
  let changed = false;
  for (const c of next) {
    const old = merged.find((o) => o.type === c.type);
    if (!old) {
      merged.push({ type: c.type, status: c.status, lastTransitionTime: now, reason: c.reason, message: c.message });
      changed = true;
    } else if (old.status !== c.status || old.reason !== c.reason || old.message !== c.message) {
      if (old.status !== c.status) old.lastTransitionTime = now;
      old.status = c.status;
      old.reason = c.reason;
      old.message = c.message;
      changed = true;
    }
  }
  return changed ? merged : undefined;
}
