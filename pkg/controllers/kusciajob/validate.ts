/**
 * One-time validation of a KusciaJob (condition `JobValidated`), run when the job is first seen.
 *
 * Messages follow Kuscia's: the condition message is "Validate job failed, <detail>" and both the
 * condition and the job carry reason `ValidateFailed`. Beyond Kuscia, the task count and alias
 * uniqueness are checked here too (the CRD schema already bounds the count, but the controller must
 * also hold against a real API server with an older CRD), and a cycle is spelled out.
 */
import type { KusciaJobSpec } from '../../crd/job.ts';
import { findDependencyCycle } from './dag.ts';

export const VALIDATE_FAILED_REASON = 'ValidateFailed';
/** Same bound as the CRD's `spec.tasks` maxItems. */
export const MAX_JOB_TASKS = 128;

export type JobValidation =
  | { valid: true }
  | { valid: false; reason: typeof VALIDATE_FAILED_REASON; message: string };

export interface JobValidationContext {
  /** Whether the initiator's namespace exists in this cluster; skipped when not given. */
  namespaceExists?: (name: string) => boolean;
}

/** The detail of the first problem, worded as Kuscia words it, or undefined when valid. */
function firstProblem(spec: KusciaJobSpec, context: JobValidationContext): string | undefined {
  if (context.namespaceExists && !context.namespaceExists(spec.initiator)) {
    return `can't find initiator namespace ${spec.initiator} under cluster, namespace "${spec.initiator}" not found`;
  }
  const tasks = spec.tasks ?? [];
  if (tasks.length === 0) return 'kuscia job should include at least one of task';
  if (tasks.length > MAX_JOB_TASKS) {
    return `kuscia job should include at most ${MAX_JOB_TASKS} tasks, but has ${tasks.length}`;
  }
  const aliases = new Set<string>();
  for (const task of tasks) {
    if (aliases.has(task.alias)) return `validate failed: task alias ${task.alias} is duplicated`;
    aliases.add(task.alias);
  }
  for (const task of tasks) {
    for (const dependency of task.dependencies ?? []) {
      if (!aliases.has(dependency)) {
        return `validate failed: task ${task.alias} has not exist dependency task ${dependency}`;
      }
    }
  }
  const cycle = findDependencyCycle(tasks);
  if (cycle) return `validate failed: cycled dependencies: ${cycle.join(' -> ')}`;
  return undefined;
}

export function validateKusciaJob(spec: KusciaJobSpec, context: JobValidationContext = {}): JobValidation {
  const problem = firstProblem(spec, context);
  if (problem === undefined) return { valid: true };
  return { valid: false, reason: VALIDATE_FAILED_REASON, message: `Validate job failed, ${problem}` };
}
