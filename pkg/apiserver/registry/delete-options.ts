/** metav1.DeleteOptions as the registry uses them (parsed and validated by http/delete-options.ts). */
export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export const PROPAGATION_POLICIES: readonly PropagationPolicy[] = ['Foreground', 'Background', 'Orphan'];

export interface DeleteOptions {
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Negative values count as 1, as in Kubernetes. */
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  /** Deprecated predecessor of propagationPolicy: true = Orphan, false = not Orphan. */
  orphanDependents?: boolean;
}

/** The garbage collector's finalizers (metav1.FinalizerOrphanDependents / FinalizerDeleteDependents). */
export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';
