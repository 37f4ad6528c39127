/**
 * AwaitingApproval (jobs with partners over Kuscia's protocol): every party but the initiator must
 * accept. A partner's control plane accepts for its own parties automatically unless
 * enableWorkloadApprove asks for approval by hand. One rejection → ApprovalReject (final).
 */
import { JobApprovePhase, KusciaJobPhase, type KusciaJob } from '../../../crd/index.ts';
import type { HandlerOutcome, JobHandlerDeps } from '../deps.ts';
import { jobPartyDomains, ownPartyDomains, selfClusterAsInitiator } from '../parties.ts';
import { handleStageCommand } from '../stage-command.ts';

export async function handleAwaitingApproval(job: KusciaJob, deps: JobHandlerDeps): Promise<HandlerOutcome> {
  const stage = await handleStageCommand(job, deps);
  if (stage !== 'continue') return stage;
  const status = (job.status ??= {});
  const approvals = (status.approveStatus ??= {});
  if (!deps.enableWorkloadApprove && !(await selfClusterAsInitiator(job, deps.namespaces))) {
    for (const domain of await ownPartyDomains(job, deps.namespaces)) approvals[domain] = JobApprovePhase.Accepted;
  }
  const others = jobPartyDomains(job.spec).filter((d) => d !== job.spec.initiator);
  if (others.every((d) => approvals[d] === JobApprovePhase.Accepted)) status.phase = KusciaJobPhase.Pending;
  const rejecting = others.find((d) => approvals[d] === JobApprovePhase.Rejected);
  if (rejecting !== undefined) {
    status.phase = KusciaJobPhase.ApprovalReject;
    status.reason = `Party: ${rejecting} approval reject.`;
  }
  return 'status';
}
