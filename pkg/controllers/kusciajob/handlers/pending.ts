/**
 * Pending: waits until every party has created the job on its side (stageStatus
 * JobCreateStageSucceeded, or JobStartStageSucceeded) → Running; a party that failed to create it
 * fails the job. BFIA jobs first look at the start results.
 */
import { JobStagePhase, KusciaJobPhase, type KusciaJob, type KusciaJobStatus } from '../../../crd/index.ts';
import type { HandlerOutcome, JobHandlerDeps } from '../deps.ts';
import { isBFIAJob } from '../interconn.ts';
import { jobPartyDomains } from '../parties.ts';
import { handleStageCommand } from '../stage-command.ts';

export async function handlePending(job: KusciaJob, deps: JobHandlerDeps): Promise<HandlerOutcome> {
  const stage = await handleStageCommand(job, deps);
  if (stage !== 'continue') return stage;
  const status = (job.status ??= {});
  const parties = jobPartyDomains(job.spec);
  const stages = status.stageStatus ?? {};

  if (isBFIAJob(job.metadata)) {
    if (parties.every((d) => stages[d] === JobStagePhase.StartSucceeded)) {
      status.phase = KusciaJobPhase.Running;
      return 'status';
    }
    const failed = parties.find((d) => stages[d] === JobStagePhase.StartFailed || stages[d] === JobStagePhase.CreateFailed);
    if (failed !== undefined) return failedByParty(status, failed);
  }
  if (parties.every((d) => stages[d] === JobStagePhase.CreateSucceeded || stages[d] === JobStagePhase.StartSucceeded)) {
    status.phase = KusciaJobPhase.Running;
    return 'status';
  }
  const failed = parties.find((d) => stages[d] === JobStagePhase.CreateFailed);
  if (failed !== undefined) return failedByParty(status, failed);
  return 'status';
}

function failedByParty(status: KusciaJobStatus, party: string): HandlerOutcome {
  status.phase = KusciaJobPhase.Failed;
  status.reason = `Party: ${party} start failed.`;
  return 'status';
}
