/**
 * The phase of a Running job from the phases of its tasks (Kuscia: jobStatusPhaseFrom).
 *
 * - No task created yet: Running.
 * - Every task finished (Succeeded/Failed) and every critical (non-tolerable) one Succeeded: Succeeded.
 *   A failed tolerable task therefore does not fail the job — but a task that depends on it can
 *   never start, so the job then stays Running (Kuscia documents "tolerable tasks must not be
 *   dependencies" without enforcing it).
 * - Strict: any critical task Failed → Failed (lower-priority and later tasks are not started).
 * - BestEffort across control planes (interconn): any task Failed, tolerable or not → Failed.
 * - BestEffort otherwise: Failed only once nothing is left to do — no task ready to create, none
 *   Pending/Running — and some critical task Failed.
 * - Anything else: Running. An unknown schedule mode fails the job (the CRD enum prevents it).
 */
import { type KusciaJobSpec, KusciaJobPhase, KusciaJobScheduleMode, type KusciaTaskTemplate } from '../../crd/job.ts';
import { KusciaTaskPhase } from '../../crd/task.ts';
import { isActivePhase } from './ready-tasks.ts';
import type { TaskPhasesByAlias } from './task-phases.ts';

export type RunningJobPhase = typeof KusciaJobPhase.Running | typeof KusciaJobPhase.Succeeded | typeof KusciaJobPhase.Failed;

export interface JobPhaseContext {
  /** The job has partners in other control planes ({@link isInterConnJob}). */
  interConn?: boolean;
}

export function jobStatusPhaseFrom(
  spec: Pick<KusciaJobSpec, 'scheduleMode' | 'tasks'>,
  phases: TaskPhasesByAlias,
  context: JobPhaseContext = {},
): RunningJobPhase {
  const tasks = spec.tasks ?? [];
  const phaseOf = (task: KusciaTaskTemplate) => phases.get(task.alias);
  if (tasks.every((task) => phaseOf(task) === undefined)) return KusciaJobPhase.Running;

  const critical = tasks.filter((task) => !task.tolerable);
  const finished = (task: KusciaTaskTemplate) =>
    phaseOf(task) === KusciaTaskPhase.Succeeded || phaseOf(task) === KusciaTaskPhase.Failed;
  const failed = (task: KusciaTaskTemplate) => phaseOf(task) === KusciaTaskPhase.Failed;
  if (tasks.every(finished) && critical.every((task) => phaseOf(task) === KusciaTaskPhase.Succeeded)) {
    return KusciaJobPhase.Succeeded;
  }

  switch (spec.scheduleMode ?? KusciaJobScheduleMode.Strict) {
    case KusciaJobScheduleMode.Strict:
      return critical.some(failed) ? KusciaJobPhase.Failed : KusciaJobPhase.Running;
    case KusciaJobScheduleMode.BestEffort: {
      if (context.interConn) return tasks.some(failed) ? KusciaJobPhase.Failed : KusciaJobPhase.Running;
      // Ready here ignores taskIDs: a task whose ID is not assigned yet still has work ahead.
      const anyReady = tasks.some(
        (task) =>
          phaseOf(task) === undefined &&
          (task.dependencies ?? []).every((dependency) => phases.get(dependency) === KusciaTaskPhase.Succeeded),
      );
      const anyActive = tasks.some((task) => {
        const phase = phaseOf(task);
        return phase !== undefined && isActivePhase(phase);
      });
      return !anyReady && !anyActive && critical.some(failed) ? KusciaJobPhase.Failed : KusciaJobPhase.Running;
    }
    default:
      return KusciaJobPhase.Failed;
  }
}
