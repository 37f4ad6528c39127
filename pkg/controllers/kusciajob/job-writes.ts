/**
 * Writes to a job's metadata or spec. Each is a merge patch conditional on the resourceVersion the
 * decision was made from: a controller acting on a stale cache (generating taskIDs twice, bumping
 * the stage version twice) gets 409 Conflict instead of overwriting, and the update event that made
 * its copy stale brings the job back anyway, so a conflict is not an error.
 */
import type { KusciaJob } from '../../crd/index.ts';
import { isConflict } from '../../kube/api-errors.ts';
import type { JobHandlerDeps } from './deps.ts';

export async function patchJob(deps: JobHandlerDeps, job: KusciaJob, patch: { metadata?: object; spec?: object }): Promise<void> {
  const { namespace = '', name = '', resourceVersion } = job.metadata;
  const body = { ...patch, metadata: { ...patch.metadata, resourceVersion } };
  try {
    deps.jobWritten(job, await deps.ctx.clients.kusciaJobs.patch(namespace, name, body, { type: 'merge' }));
  } catch (err) {
    if (!isConflict(err)) throw err;
    deps.log.debug({ namespace, name }, 'job changed meanwhile; its update event brings it back');
  }
}
