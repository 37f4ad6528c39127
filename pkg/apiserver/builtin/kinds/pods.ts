/** core/v1 pods: defaults, create-time status, validation, the pod-spec immutability rule and the status strategy. */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/object.ts';
import type { ResourceStrategy } from '../../api/resource-type.ts';
import { arrayAt, FieldError, fieldErrors, objectAt, type Obj } from '../validation/fields.ts';
import { applyPodDefaults } from './pod-defaults.ts';
import { podQOSClass } from './pod-qos.ts';
import { validatePodSpec } from './pod-spec-validation.ts';
import { validatePodStatusUpdate } from './pod-status-validation.ts';

export const podUpdateForbiddenMessage =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Copies the images of `old`'s containers onto `next`'s (same positions), the one container change allowed. */
function withOldImages(next: unknown, old: unknown): unknown {
  if (!Array.isArray(next) || !Array.isArray(old) || next.length !== old.length) return next;
  return next.map((c, i) => (c && typeof c === 'object' && old[i] && typeof old[i] === 'object' ? { ...c, image: (old[i] as Obj).image } : c));
}

/** `next` contains every element of `old` (order aside): tolerations may only be added. */
function isSuperset(next: unknown[] | undefined, old: unknown[] | undefined): boolean {
  return (old ?? []).every((o) => (next ?? []).some((n) => isDeepStrictEqual(n, o)));
}

/** ValidatePodUpdate's rule: the new spec, with the mutable fields reset to the old values, must equal the old spec. */
export function validatePodSpecUpdate(spec: Obj, oldSpec: Obj): FieldError[] {
  const munged: Obj = { ...spec };
  munged.containers = withOldImages(spec.containers, oldSpec.containers);
  munged.initContainers = withOldImages(spec.initContainers, oldSpec.initContainers);
  const errs: FieldError[] = [];
  const deadline = spec.activeDeadlineSeconds;
  const oldDeadline = oldSpec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && typeof oldDeadline === 'number' && deadline > oldDeadline) {
    errs.push(fieldErrors.invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value'));
  }
  if (typeof deadline === 'number') munged.activeDeadlineSeconds = oldDeadline;
  if (isSuperset(arrayAt(spec, 'tolerations'), arrayAt(oldSpec, 'tolerations'))) munged.tolerations = oldSpec.tolerations;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && spec.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  // Scheduling gates may only be removed.
  if (isSuperset(arrayAt(oldSpec, 'schedulingGates'), arrayAt(spec, 'schedulingGates'))) munged.schedulingGates = oldSpec.schedulingGates;
  for (const key of Object.keys(munged)) if (munged[key] === undefined) delete munged[key];
  if (!isDeepStrictEqual(munged, oldSpec)) errs.push(fieldErrors.forbidden('spec', podUpdateForbiddenMessage));
  return errs;
}

/**
 * CheckGracefulDelete: a pod bound to a node gets the requested grace period, else its
 * terminationGracePeriodSeconds (defaulting always sets it; 30 is that default), and is removed
 * when the node's agent confirms with grace 0. An unbound or finished pod has nothing to stop.
 */
export function podDeletionGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = objectAt(pod, 'spec');
  const configured = spec?.terminationGracePeriodSeconds;
  let period = requested ?? (typeof configured === 'number' ? configured : 30);
  if (!spec?.nodeName) period = 0;
  const phase = objectAt(pod, 'status')?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') period = 0;
  return period < 0 ? 1 : period;
}

export const podStrategy: ResourceStrategy = {
  deletion: { returnsDeletedObject: true, gracePeriodSeconds: podDeletionGracePeriod },
  prepareForCreate(pod: KubeObject): void {
    // PrepareForCreate: clients cannot create a pod with a status; it starts Pending.
    pod.status = { phase: 'Pending', qosClass: podQOSClass(objectAt(pod, 'spec')) };
  },
  applyDefaults(pod: KubeObject): void {
    applyPodDefaults(pod);
  },
  validate(pod: KubeObject): FieldError[] {
    return validatePodSpec(objectAt(pod, 'spec'), 'spec');
  },
  validateUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
    const spec = objectAt(pod, 'spec');
    const errs = validatePodSpec(spec, 'spec');
    const oldSpec = objectAt(old, 'spec');
    if (spec && oldSpec) errs.push(...validatePodSpecUpdate(spec, oldSpec));
    return errs;
  },
  prepareForStatusUpdate(pod: KubeObject, old: KubeObject): void {
    // The QoS class is set at creation and immutable; a status written without one keeps it
    // (older kubelets dropped it), as kube-apiserver's podStatusStrategy backfills it.
    const oldClass = objectAt(old, 'status')?.qosClass;
    const status = objectAt(pod, 'status');
    if (oldClass === undefined || (status && status.qosClass !== undefined && status.qosClass !== '')) return;
    pod.status = { ...status, qosClass: oldClass };
  },
  validateStatusUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
    // ValidatePodStatusUpdate: the spec is the stored one, so it is not validated again.
    return validatePodStatusUpdate(objectAt(old, 'spec'), objectAt(pod, 'status'), objectAt(old, 'status'));
  },
};

