/**
 * `initialized` (a new job): validate once, annotate once, record this control plane's parties as
 * created (and, as initiator, accepted), then AwaitingApproval when partners over Kuscia's protocol
 * must approve, else Pending.
 */
import { JobApprovePhase, JobStagePhase, KusciaJobConditionType, KusciaJobPhase, type KusciaJob } from '../../../crd/index.ts';
import { interConnMetadata, isAnnotated } from '../annotate.ts';
import { jobCondition, setJobCondition } from '../conditions.ts';
import type { HandlerOutcome, JobHandlerDeps } from '../deps.ts';
import { isKusciaInterConnJob } from '../interconn.ts';
import { setJobPhase } from '../job-status.ts';
import { patchJob } from '../job-writes.ts';
import { ownPartyDomains, selfClusterAsInitiator } from '../parties.ts';
import { VALIDATE_FAILED_REASON, validateKusciaJob } from '../validate.ts';

export async function handleInitialized(job: KusciaJob, deps: JobHandlerDeps): Promise<HandlerOutcome> {
  const status = (job.status ??= {});
  if (!(await validateOnce(job, deps))) return 'status';

  const own = await ownPartyDomains(job, deps.namespaces);
  if (!isAnnotated(job, own)) {
    const metadata = await interConnMetadata(job, deps.namespaces);
    await patchJob(deps, job, { metadata });
    return 'written';
  }

  const asInitiator = await selfClusterAsInitiator(job, deps.namespaces);
  const stages = (status.stageStatus ??= {});
  const approvals = (status.approveStatus ??= {});
  for (const domain of own) {
    stages[domain] = JobStagePhase.CreateSucceeded;
    // The initiator accepts its own job; a partner's parties approve in AwaitingApproval.
    if (asInitiator) approvals[domain] = JobApprovePhase.Accepted;
  }
  status.phase = isKusciaInterConnJob(job.metadata) ? KusciaJobPhase.AwaitingApproval : KusciaJobPhase.Pending;
  return 'status';
}

/** Condition JobValidated; false fails the job for good (reason ValidateFailed). */
async function validateOnce(job: KusciaJob, deps: JobHandlerDeps): Promise<boolean> {
  const status = (job.status ??= {});
  if (jobCondition(status, KusciaJobConditionType.JobValidated)?.status === 'True') return true;
  const initiatorExists = (await deps.namespaces.get(job.spec.initiator)) !== undefined;
  const result = validateKusciaJob(job.spec, { namespaceExists: () => initiatorExists });
  const now = deps.now();
  if (result.valid) {
    setJobCondition(status, KusciaJobConditionType.JobValidated, 'True', now);
    return true;
  }
  deps.log.info({ reason: result.message }, 'job failed validation');
  setJobCondition(status, KusciaJobConditionType.JobValidated, 'False', now, VALIDATE_FAILED_REASON, result.message);
  setJobPhase(status, KusciaJobPhase.Failed, now, VALIDATE_FAILED_REASON, result.message);
  return false;
}
