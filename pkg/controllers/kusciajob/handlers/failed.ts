/**
 * Failed: once (until completionTime is set) stop every unfinished task and mark its taskStatus
 * entry Failed. Not final: a Restart command brings the job back.
 */
import type { KusciaJob } from '../../../crd/index.ts';
import type { HandlerOutcome, JobHandlerDeps } from '../deps.ts';
import { failActiveTaskStatuses } from '../job-status.ts';
import { handleStageCommand } from '../stage-command.ts';
import { stopJobTasks } from '../task-operations.ts';

export async function handleFailed(job: KusciaJob, deps: JobHandlerDeps): Promise<HandlerOutcome> {
  const stage = await handleStageCommand(job, deps);
  if (stage !== 'continue') return stage;
  const status = (job.status ??= {});
  if (status.completionTime) return 'status';
  await stopJobTasks(job, deps);
  failActiveTaskStatuses(status);
  status.completionTime = deps.now();
  return 'status';
}
