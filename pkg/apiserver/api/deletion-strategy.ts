import type { KubeObject } from './object.ts';

/**
 * How a kind's objects are deleted where that differs from the generic rule ("at once, unless
 * finalizers hold them"): kube-apiserver's RESTGracefulDeleteStrategy, ReturnDeletedObject and the
 * namespace registry's own Delete.
 */
export interface DeletionStrategy {
  /**
   * CheckGracefulDelete: the grace period in seconds a DELETE of `obj` gets, given the one the
   * client asked for (undefined when it asked for none). 0 removes the object at once. Kinds
   * without this hook are never deleted gracefully.
   */
  gracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number;
  /** DELETE answers with the object rather than a Status (pods, namespaces). */
  returnsDeletedObject?: boolean;
  /** Kinds whose first DELETE only starts a termination that a controller finishes (namespaces). */
  termination?: TerminationStrategy;
}

export interface TerminationStrategy {
  /** Marks `obj` as terminating on the first DELETE (a namespace's status.phase). */
  begin(obj: KubeObject): void;
  /** True while the kind's own finalizers (a namespace's spec.finalizers) keep the object. */
  held(obj: KubeObject): boolean;
}
