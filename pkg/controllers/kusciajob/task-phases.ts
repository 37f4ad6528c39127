/**
 * The live phases of a job's KusciaTasks, the input of every scheduling decision.
 *
 * Kuscia rebuilds these on each reconcile from the KusciaTasks that exist (never from the job's
 * stored status): a task that has a KusciaTask is "created"; one that has none is not, whatever
 * `status.taskStatus` says. Dependencies name aliases, so scheduling works on an alias-keyed view,
 * while `status.taskStatus` is keyed by taskID (the KusciaTask name).
 */
import type { KusciaTaskTemplate } from '../../crd/job.ts';
import { KusciaTaskPhase } from '../../crd/task.ts';

/** A created task's phase; '' is a KusciaTask its controller has not reconciled yet. */
export type CreatedTaskPhase = KusciaTaskPhase | '';

/** alias → phase, for created tasks only (absence means "no KusciaTask yet"). */
export type TaskPhasesByAlias = ReadonlyMap<string, CreatedTaskPhase>;

/** The parts of a KusciaTask the job controller reads. */
export interface LiveTask {
  name: string;
  phase?: CreatedTaskPhase;
}

export interface JobTaskPhases {
  byAlias: Map<string, KusciaTaskPhase>;
  /** What goes into `status.taskStatus`. */
  byTaskID: Record<string, KusciaTaskPhase>;
}

/**
 * Matches live KusciaTasks to the job's tasks by taskID. A task without a phase yet counts as
 * Pending (so it occupies a parallelism slot and shows as Pending in `status.taskStatus`).
 * KusciaTasks that no longer match any template (e.g. taskID edited) are ignored.
 */
export function taskPhasesFrom(tasks: readonly KusciaTaskTemplate[], live: readonly LiveTask[]): JobTaskPhases {
  const phaseByName = new Map(live.map((t) => [t.name, t.phase || KusciaTaskPhase.Pending] as const));
  const byAlias = new Map<string, KusciaTaskPhase>();
  const byTaskID: Record<string, KusciaTaskPhase> = {};
  for (const task of tasks) {
    if (!task.taskID) continue;
    const phase = phaseByName.get(task.taskID);
    if (phase === undefined) continue;
    byAlias.set(task.alias, phase);
    byTaskID[task.taskID] = phase;
  }
  return { byAlias, byTaskID };
}
