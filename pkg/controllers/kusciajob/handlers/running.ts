/**
 * Running: the DAG scheduler (Go: handleRunning). From the live KusciaTasks (never the stored
 * status) it rebuilds status.taskStatus, derives the job phase, and creates the next ready tasks,
 * highest priority first, as far as maxParallelism allows.
 */
import { isDeepStrictEqual } from 'node:util';
import { KusciaJobPhase, type KusciaJob } from '../../../crd/index.ts';
import { createJobTask } from '../create-task.ts';
import type { HandlerOutcome, JobHandlerDeps } from '../deps.ts';
import { isInterConnJob } from '../interconn.ts';
import { jobStatusPhaseFrom } from '../job-phase.ts';
import { CREATE_TASK_FAILED_REASON, setJobPhase } from '../job-status.ts';
import { patchJob } from '../job-writes.ts';
import { selfClusterAsInitiator } from '../parties.ts';
import { readyTasksOf, willStartTasksOf } from '../ready-tasks.ts';
import { handleStageCommand } from '../stage-command.ts';
import { fillMissingTaskIDs } from '../task-id.ts';
import { taskPhasesFrom } from '../task-phases.ts';

export async function handleRunning(job: KusciaJob, deps: JobHandlerDeps): Promise<HandlerOutcome> {
  const stage = await handleStageCommand(job, deps);
  if (stage !== 'continue') return stage;

  // taskIDs are written into the spec before any task exists, so every later reconcile (and a
  // restarted controller) names the tasks the same. Only the initiator generates them.
  if (await selfClusterAsInitiator(job, deps.namespaces)) {
    const { tasks, changed } = fillMissingTaskIDs(job.metadata.name ?? '', job.spec.tasks ?? []);
    if (changed) {
      await patchJob(deps, job, { spec: { tasks } });
      return 'written';
    }
  }

  const status = (job.status ??= {});
  const live = deps.tasks.of(job).map((t) => ({ name: t.metadata.name ?? '', phase: t.status?.phase }));
  const phases = taskPhasesFrom(job.spec.tasks ?? [], live);
  const phase = jobStatusPhaseFrom(job.spec, phases.byAlias, { interConn: isInterConnJob(job.metadata) });
  if (!isDeepStrictEqual(status.taskStatus ?? {}, phases.byTaskID)) status.taskStatus = phases.byTaskID;

  if (phase === KusciaJobPhase.Running) {
    const spec = { maxParallelism: job.spec.maxParallelism ?? 1 };
    const ready = readyTasksOf(job.spec.tasks ?? [], phases.byAlias);
    for (const template of willStartTasksOf(spec, ready, phases.byAlias)) {
      const result = await createJobTask(job, template, deps);
      if (result.failure !== undefined) {
        deps.log.warn({ task: template.taskID, reason: result.failure }, 'cannot create task; failing the job');
        setJobPhase(status, KusciaJobPhase.Failed, deps.now(), CREATE_TASK_FAILED_REASON, result.failure);
        return 'status';
      }
    }
  }

  status.phase = phase;
  if (phase === KusciaJobPhase.Succeeded) status.completionTime ??= deps.now();
  return 'status';
}
