/**
 * When a pod that has not stopped counts as failed (Kuscia: isPodFailed): a container whose
 * containers are not ready is stuck waiting for a reason that will not resolve by itself. Image
 * pulls get a few retries first.
 */
import type { Pod } from '../../kube/wire.ts';

export const FAILED_WAITING_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImageInspectError',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);

/** Pull failures are retried; the pod fails after this many restarts. */
export const IMAGE_PULL_RETRIES = 3;
const IMAGE_PULL_REASONS: ReadonlySet<string> = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImagePullBackOff']);

export function isPodFailed(pod: Pod): boolean {
  const status = pod.status ?? {};
  const containersReady = (status.conditions ?? []).find((c) => c.type === 'ContainersReady');
  if (containersReady?.status !== 'False') return false;
  return (status.containerStatuses ?? []).some((cs) => {
    const reason = cs.state?.waiting?.reason;
    if (!reason) return false;
    if (IMAGE_PULL_REASONS.has(reason)) return (cs.restartCount ?? 0) > IMAGE_PULL_RETRIES;
    return FAILED_WAITING_REASONS.has(reason);
  });
}
