/** Suspended: its tasks were stopped by the Suspend command; unfinished taskStatus entries show Failed. */
import type { KusciaJob } from '../../../crd/index.ts';
import { KusciaTaskPhase } from '../../../crd/index.ts';
import type { HandlerOutcome, JobHandlerDeps } from '../deps.ts';
import { handleStageCommand } from '../stage-command.ts';

export async function handleSuspended(job: KusciaJob, deps: JobHandlerDeps): Promise<HandlerOutcome> {
  const stage = await handleStageCommand(job, deps);
  if (stage !== 'continue') return stage;
  const taskStatus = job.status?.taskStatus ?? {};
  for (const [taskID, phase] of Object.entries(taskStatus)) {
    if (phase !== KusciaTaskPhase.Succeeded && phase !== KusciaTaskPhase.Failed) taskStatus[taskID] = KusciaTaskPhase.Failed;
  }
  return 'status';
}
