/**
 * Which tasks of a Running job to create next (Kuscia: readyTasksOf / willStartTasksOf).
 */
import type { KusciaJobSpec, KusciaTaskTemplate } from '../../crd/job.ts';
import { KusciaTaskPhase } from '../../crd/task.ts';
import type { CreatedTaskPhase, TaskPhasesByAlias } from './task-phases.ts';

/** Phases that occupy a parallelism slot; '' is a task created but not yet picked up. */
export function isActivePhase(phase: CreatedTaskPhase): boolean {
  return phase === KusciaTaskPhase.Pending || phase === KusciaTaskPhase.Running || phase === '';
}

/**
 * Tasks that could be created now, whatever the schedule mode: every dependency Succeeded (a
 * failed dependency blocks its dependents for good), a taskID assigned, and no KusciaTask yet.
 * Highest `priority` first; equal priorities keep spec order.
 */
export function readyTasksOf(tasks: readonly KusciaTaskTemplate[], phases: TaskPhasesByAlias): KusciaTaskTemplate[] {
  return tasks
    .filter(
      (task) =>
        !!task.taskID &&
        !phases.has(task.alias) &&
        (task.dependencies ?? []).every((dependency) => phases.get(dependency) === KusciaTaskPhase.Succeeded),
    )
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
}

/**
 * The head of `ready` that fits into `maxParallelism` (default 1) minus the tasks already Pending
 * or Running; empty when the job is at its limit.
 */
export function willStartTasksOf(
  spec: Pick<KusciaJobSpec, 'maxParallelism'>,
  ready: readonly KusciaTaskTemplate[],
  phases: TaskPhasesByAlias,
): KusciaTaskTemplate[] {
  let active = 0;
  for (const phase of phases.values()) if (isActivePhase(phase)) active++;
  const free = (spec.maxParallelism ?? 1) - active;
  return free > 0 ? ready.slice(0, free) : [];
}
