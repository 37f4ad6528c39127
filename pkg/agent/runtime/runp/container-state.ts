import type { ContainerStatus } from '../pod-status.ts';
import { formatGoDuration } from '../../../apiserver/protobuf/go-time.ts';

type State = NonNullable<ContainerStatus['state']>;
export type TerminatedState = NonNullable<State['terminated']>;

/** The kubelet's status texts, in one place. */
export const waiting = {
  creating: (): State => ({ waiting: { reason: 'ContainerCreating' } }),
  imageNeverPull: (image: string): State => ({
    waiting: { reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` },
  }),
  crashLoop: (delayMs: number, container: string, pod: string, namespace: string, uid: string): State => ({
    waiting: {
      reason: 'CrashLoopBackOff',
      message: `back-off ${formatGoDuration(delayMs * 1_000_000)} restarting failed container=${container} pod=${pod}_${namespace}(${uid})`,
    },
  }),
  createConfigError: (message: string): State => ({ waiting: { reason: 'CreateContainerConfigError', message } }),
};

/** Reason of a terminated container: the kubelet's Completed / Error, or what the runtime saw. */
export function terminatedReason(exitCode: number, oomKilled: boolean): string {
  if (oomKilled) return 'OOMKilled';
  return exitCode === 0 ? 'Completed' : 'Error';
}

/** A container the pod was terminated without: the kubelet's status for it. */
export const UNKNOWN_ON_TERMINATION: Pick<TerminatedState, 'exitCode' | 'reason' | 'message'> = {
  exitCode: 137,
  reason: 'ContainerStatusUnknown',
  message: 'The container could not be located when the pod was terminated',
};
