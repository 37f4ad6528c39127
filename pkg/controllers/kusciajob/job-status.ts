/** Small rules about a KusciaJob's status shared by the phase handlers (Go: handler/scheduler.go helpers). */
import { isDeepStrictEqual } from 'node:util';
import { KusciaJobPhase, KusciaTaskPhase, type KusciaJob, type KusciaJobPhase as JobPhase, type KusciaJobStatus } from '../../crd/index.ts';

/** Job reason when a task could not be created (Go: v1alpha1.CreateTaskFailed). */
export const CREATE_TASK_FAILED_REASON = 'CreateTaskFailed';

/**
 * Whether the job still needs reconciling. ApprovalReject, Cancelled and Succeeded are final once
 * completionTime is set; Failed and Suspended are not, because they can be restarted.
 */
export function shouldReconcile(job: KusciaJob): boolean {
  const phase = job.status?.phase;
  const final = phase === KusciaJobPhase.ApprovalReject || phase === KusciaJobPhase.Cancelled || phase === KusciaJobPhase.Succeeded;
  return !(final && job.status?.completionTime);
}

/** Go's setKusciaJobStatus: phase, reason and message together (an empty string clears them). */
export function setJobPhase(status: KusciaJobStatus, phase: JobPhase, now: string, reason = '', message = ''): void {
  status.phase = phase;
  if (reason) status.reason = reason;
  else delete status.reason;
  if (message) status.message = message;
  else delete status.message;
  status.startTime ??= now;
}

/** Entries of tasks still Pending or Running become Failed (the job stopped them). */
export function failActiveTaskStatuses(status: KusciaJobStatus): boolean {
  let changed = false;
  for (const [taskID, phase] of Object.entries(status.taskStatus ?? {})) {
    if (phase === KusciaTaskPhase.Pending || phase === KusciaTaskPhase.Running) {
      status.taskStatus![taskID] = KusciaTaskPhase.Failed;
      changed = true;
    }
  }
  return changed;
}

/** Times every status write carries (Go's updateJobTime): startTime once, lastReconcileTime always. */
export function touchJobTimes(status: KusciaJobStatus, now: string): void {
  status.startTime ??= now;
  status.lastReconcileTime = now;
  if (status.phase === KusciaJobPhase.ApprovalReject) status.completionTime ??= now;
}

/**
 * Whether `after` differs from `before` in anything but lastReconcileTime. Writing only real
 * changes keeps a reconcile from triggering itself forever through its own update event.
 */
export function statusChanged(before: KusciaJobStatus | undefined, after: KusciaJobStatus): boolean {
  const strip = (s: KusciaJobStatus | undefined) => {
    const { lastReconcileTime: _ignored, ...rest } = (JSON.parse(JSON.stringify(s ?? {})) as KusciaJobStatus);
    return rest;
  };
  return !isDeepStrictEqual(strip(before), strip(after));
}
