/**
 * What the job controller does to its KusciaTasks besides creating them: stopping the unfinished
 * ones when the job fails, is stopped, cancelled or suspended, and deleting them when it restarts.
 */
import { KusciaTaskPhase, type KusciaJob, type KusciaTask, type PartyTaskStatus } from '../../crd/index.ts';
import { isConflict, isNotFound } from '../../kube/api-errors.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import type { JobHandlerDeps } from './deps.ts';
import { isPartnerNamespace } from './namespaces.ts';

export const KUSCIA_JOB_STOPPED_REASON = 'KusciaJobStopped';
export const KUSCIA_JOB_STOPPED_MESSAGE = 'Job was stopped';

function finished(phase: string | undefined): boolean {
  return phase === KusciaTaskPhase.Succeeded || phase === KusciaTaskPhase.Failed;
}

/**
 * Marks every unfinished task of the job Failed (reason KusciaJobStopped) together with the party
 * statuses of the domains this control plane runs; the KusciaTask controller then removes the pods.
 * Partners' party statuses are theirs to report.
 */
export async function stopJobTasks(job: KusciaJob, deps: JobHandlerDeps): Promise<void> {
  for (const cached of deps.tasks.of(job)) {
    if (finished(cached.status?.phase)) continue;
    const ownDomains = new Set<string>();
    for (const party of cached.spec.parties ?? []) {
      if (!isPartnerNamespace(await deps.namespaces.get(party.domainID))) ownDomains.add(party.domainID);
    }
    const now = deps.now();
    const { namespace = '', name = '' } = cached.metadata;
    try {
      await updateStatusWithRetry(
        deps.ctx.clients.kusciaTasks,
        namespace,
        name,
        (task) => {
          if (finished(task.status?.phase)) return false;
          stopTaskStatus(task, ownDomains, now);
        },
        { current: cached },
      );
      deps.log.info({ task: name }, 'stopped task of the job');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

function stopTaskStatus(task: KusciaTask, ownDomains: ReadonlySet<string>, now: string): void {
  const status = (task.status ??= {});
  status.phase = KusciaTaskPhase.Failed;
  status.reason = KUSCIA_JOB_STOPPED_REASON;
  status.message = KUSCIA_JOB_STOPPED_MESSAGE;
  status.lastReconcileTime = now;
  status.startTime ??= now;
  const parties: PartyTaskStatus[] = (status.partyTaskStatus ??= []);
  for (const party of task.spec.parties ?? []) {
    if (!ownDomains.has(party.domainID)) continue;
    const matching = parties.filter((p) => p.domainID === party.domainID && (p.role ?? '') === (party.role ?? ''));
    for (const p of matching) p.phase = KusciaTaskPhase.Failed;
    if (matching.length === 0) {
      parties.push({ domainID: party.domainID, ...(party.role ? { role: party.role } : {}), phase: KusciaTaskPhase.Failed });
    }
  }
}

/**
 * Restart: deletes every task of the job that did not succeed (the restarted job creates them
 * again) and drops them from status.taskStatus; Succeeded tasks are kept and not run again.
 * Background propagation, guarded by uid so a task re-created meanwhile is left alone.
 */
export async function deleteUnfinishedTasks(job: KusciaJob, deps: JobHandlerDeps): Promise<void> {
  const status = (job.status ??= {});
  for (const task of deps.tasks.of(job)) {
    if (task.status?.phase === KusciaTaskPhase.Succeeded) continue;
    const { namespace = '', name = '', uid } = task.metadata;
    try {
      await deps.ctx.clients.kusciaTasks.delete(namespace, name, { propagationPolicy: 'Background', uid });
      deps.log.info({ task: name }, 'deleted unfinished task for the restart');
    } catch (err) {
      // Gone already, or (uid precondition failed) the name now belongs to another task.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    deps.tasks.markDeleted(uid);
  }
  for (const [taskID, phase] of Object.entries(status.taskStatus ?? {})) {
    if (phase !== KusciaTaskPhase.Succeeded) delete status.taskStatus![taskID];
  }
}
