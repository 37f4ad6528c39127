/** Succeeded, Cancelled, ApprovalReject: final; only completionTime is set, once. */
import type { KusciaJob } from '../../../crd/index.ts';
import type { HandlerOutcome, JobHandlerDeps } from '../deps.ts';

export async function handleFinished(job: KusciaJob, deps: JobHandlerDeps): Promise<HandlerOutcome> {
  const status = (job.status ??= {});
  status.completionTime ??= deps.now();
  return 'status';
}
