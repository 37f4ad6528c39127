/**
 * Stage commands: how parties stop, cancel, suspend and restart a job. KusciaAPI (or `kubectl
 * label`) sets `kuscia.secretflow/job-stage` (Start|Stop|Cancel|Restart|Suspend), `job-stage-trigger`
 * (the domain that asked) and `job-stage-version` on the job; the handlers of the non-final phases
 * act on them first. Each command is applied by phase, so a label that stays on the job is not
 * applied twice: Stop and Cancel are done once the job is Failed/Cancelled with a completionTime,
 * Suspend only acts on a Running job, Restart only on a Failed or Suspended one, Start only records
 * what is not recorded yet.
 */
import {
  JobStage,
  JobStagePhase,
  KusciaJobConditionType,
  KusciaJobPhase,
  Labels,
  type KusciaJob,
  type KusciaJobStatus,
} from '../../crd/index.ts';
import { jobCondition } from './conditions.ts';
import type { JobHandlerDeps } from './deps.ts';
import { isBFIAJob } from './interconn.ts';
import { failActiveTaskStatuses, setJobPhase } from './job-status.ts';
import { patchJob } from './job-writes.ts';
import { jobPartyDomains, ownPartyDomains, selfClusterAsInitiator } from './parties.ts';
import { deleteUnfinishedTasks, stopJobTasks } from './task-operations.ts';
import { errorMessage } from './error-message.ts';

export interface StageCommand {
  stage: string;
  /** The domain that issued it ('' when the label is missing, e.g. a bare `kubectl label`). */
  trigger: string;
  version: string | undefined;
}

export function readStageCommand(job: KusciaJob): StageCommand | undefined {
  const labels = job.metadata.labels ?? {};
  const stage = labels[Labels.JobStage];
  if (!stage) return undefined;
  return { stage, trigger: labels[Labels.JobStageTrigger] ?? '', version: labels[Labels.JobStageVersion] };
}

/** Reason (and message) of a job that a stage command moved: "Party: alice execute the cmd: Stop." */
export function stageCommandReason(command: StageCommand): string {
  return `Party: ${command.trigger} execute the cmd: ${command.stage}.`;
}

/**
 * `continue` — nothing to do, the phase handler goes on; `status` — the command changed the job,
 * write its status and stop here; `written` — the job's labels were changed, stop without a status write.
 */
export type StageOutcome = 'continue' | 'status' | 'written';

export async function handleStageCommand(job: KusciaJob, deps: JobHandlerDeps): Promise<StageOutcome> {
  const command = readStageCommand(job);
  if (!command) return 'continue';
  const log = deps.log.child({ stage: command.stage, trigger: command.trigger });
  switch (command.stage) {
    case JobStage.Start:
      return handleStart(job, deps);
    case JobStage.Stop:
      return handleStopOrCancel(job, deps, command, KusciaJobPhase.Failed, log);
    case JobStage.Cancel:
      return handleStopOrCancel(job, deps, command, KusciaJobPhase.Cancelled, log);
    case JobStage.Suspend:
      return handleSuspend(job, deps, command, log);
    case JobStage.Restart:
      return handleRestart(job, deps, command, log);
    default:
      return 'continue';
  }
}

function status(job: KusciaJob): KusciaJobStatus {
  return (job.status ??= {});
}

async function setOwnStage(job: KusciaJob, deps: JobHandlerDeps, phase: JobStagePhase): Promise<boolean> {
  const stages = (status(job).stageStatus ??= {});
  let changed = false;
  for (const domain of await ownPartyDomains(job, deps.namespaces)) {
    if (stages[domain] === phase) continue;
    stages[domain] = phase;
    changed = true;
  }
  return changed;
}

async function handleStart(job: KusciaJob, deps: JobHandlerDeps): Promise<StageOutcome> {
  // A BFIA initiator learns its partners' start results over BFIA; it records nothing itself.
  if (isBFIAJob(job.metadata) && (await selfClusterAsInitiator(job, deps.namespaces))) return 'continue';
  return (await setOwnStage(job, deps, JobStagePhase.StartSucceeded)) ? 'status' : 'continue';
}

async function handleStopOrCancel(
  job: KusciaJob,
  deps: JobHandlerDeps,
  command: StageCommand,
  target: typeof KusciaJobPhase.Failed | typeof KusciaJobPhase.Cancelled,
  log: JobHandlerDeps['log'],
): Promise<StageOutcome> {
  const s = status(job);
  if (s.phase === KusciaJobPhase.Cancelled && (target === KusciaJobPhase.Failed || s.completionTime)) return 'continue';
  if (target === KusciaJobPhase.Failed && s.phase === KusciaJobPhase.Failed && s.completionTime) return 'continue';
  log.info('stage command: stopping the job');
  await stopJobTasks(job, deps);
  await setOwnStage(job, deps, target === KusciaJobPhase.Failed ? JobStagePhase.StopSucceeded : JobStagePhase.CancelSucceeded);
  failActiveTaskStatuses(s);
  const reason = stageCommandReason(command);
  const now = deps.now();
  setJobPhase(s, target, now, reason, reason);
  s.completionTime ??= now;
  return 'status';
}

async function handleSuspend(job: KusciaJob, deps: JobHandlerDeps, command: StageCommand, log: JobHandlerDeps['log']): Promise<StageOutcome> {
  const s = status(job);
  if (s.phase !== KusciaJobPhase.Running) return 'continue';
  log.info('stage command: suspending the job');
  await stopJobTasks(job, deps);
  await setOwnStage(job, deps, JobStagePhase.SuspendSucceeded);
  setJobPhase(s, KusciaJobPhase.Suspended, deps.now(), stageCommandReason(command));
  return 'status';
}

async function handleRestart(job: KusciaJob, deps: JobHandlerDeps, command: StageCommand, log: JobHandlerDeps['log']): Promise<StageOutcome> {
  const s = status(job);
  // A job that never validated cannot run, however often it is restarted.
  if (jobCondition(s, KusciaJobConditionType.JobValidated)?.status === 'False') return 'continue';

  if (s.phase === KusciaJobPhase.Failed || s.phase === KusciaJobPhase.Suspended) {
    log.info('stage command: restarting the job');
    setJobPhase(s, KusciaJobPhase.Running, deps.now(), stageCommandReason(command), `This job is restarted by ${command.trigger}`);
    delete s.completionTime;
    let stage: JobStagePhase = JobStagePhase.RestartSucceeded;
    try {
      await deleteUnfinishedTasks(job, deps);
    } catch (err) {
      stage = JobStagePhase.RestartFailed;
      s.message = `Restart this job and delete the 'failed' phase task failed, error: ${errorMessage(err)}.`;
    }
    const stages = (s.stageStatus ??= {});
    for (const domain of await ownPartyDomains(job, deps.namespaces)) stages[domain] = stage;
    return 'status';
  }

  if (s.phase === KusciaJobPhase.Running) {
    // Scheduling waits until every party has handled the restart (partners report theirs).
    const stages = s.stageStatus ?? {};
    const allDone = jobPartyDomains(job.spec).every(
      (d) => stages[d] === JobStagePhase.RestartSucceeded || stages[d] === JobStagePhase.RestartFailed,
    );
    if (!allDone) return 'status';
    // Put the stage back to Start so the job can be restarted again later; only the initiator
    // does it, so two control planes do not race on the version.
    if (!(await selfClusterAsInitiator(job, deps.namespaces))) return 'continue';
    await setJobStage(job, deps, JobStage.Start, job.spec.initiator);
    return 'written';
  }
  return 'continue';
}

/** Sets the stage label (and trigger), bumping `job-stage-version` (Go: setJobStage). */
export async function setJobStage(job: KusciaJob, deps: JobHandlerDeps, stage: JobStage, trigger: string): Promise<void> {
  const current = Number.parseInt(job.metadata.labels?.[Labels.JobStageVersion] ?? '', 10);
  const version = Number.isNaN(current) ? '1' : String(current + 1);
  await patchJob(deps, job, {
    metadata: { labels: { [Labels.JobStage]: stage, [Labels.JobStageTrigger]: trigger, [Labels.JobStageVersion]: version } },
  });
}
