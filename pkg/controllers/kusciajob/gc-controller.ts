/**
 * KusciaJob GC (Kuscia's "KusciaJob GC" controller): deletes jobs whose completionTime lies more
 * than the retention in the past (default 720 h, as Kuscia), with Background propagation so the
 * garbage collector removes their KusciaTasks too. Instead of scanning all jobs periodically, each
 * finished job is queued for the moment it becomes due; the reconcile re-reads the job then, so a
 * job restarted meanwhile (completionTime cleared) is kept.
 */
import { CROSS_DOMAIN_NAMESPACE, type KusciaJob } from '../../crd/index.ts';
import { isConflict, isNotFound } from '../../kube/api-errors.ts';
import { Controller } from '../../kube/controller.ts';
import { objectKey, splitObjectKey } from '../../kube/object-key.ts';
import type { ControllerContext, KusciaController } from '../common/controller-context.ts';
import { KusciaResources } from '../common/resources.ts';

export const KUSCIA_JOB_GC_CONTROLLER_NAME = 'kusciajob-gc';
export const DEFAULT_JOB_RETENTION_MS = 720 * 3600 * 1000;
/**
 * Node timers hold at most 2^31-1 ms (~24.8 days; longer ones fire at once). A job due later is
 * looked at again after this long and re-queued for the rest.
 */
const MAX_TIMER_MS = 24 * 3600 * 1000;

export interface KusciaJobGCOptions {
  /** How long a finished job is kept after its completionTime. */
  retentionMs?: number;
}

export function newKusciaJobGCController(ctx: ControllerContext, options: KusciaJobGCOptions = {}): KusciaController {
  const retentionMs = options.retentionMs ?? DEFAULT_JOB_RETENTION_MS;
  const log = ctx.log.child({ component: KUSCIA_JOB_GC_CONTROLLER_NAME });
  const jobInformer = ctx.informers.informerFor<KusciaJob>(KusciaResources.kusciaJobs);

  /** Milliseconds until the job may be deleted; undefined while it has not finished. */
  const dueIn = (job: KusciaJob): number | undefined => {
    const completed = job.status?.completionTime ? Date.parse(job.status.completionTime) : Number.NaN;
    return Number.isNaN(completed) ? undefined : completed + retentionMs - ctx.now();
  };

  const controller = new Controller({
    name: KUSCIA_JOB_GC_CONTROLLER_NAME,
    log: ctx.log,
    workers: 1,
    reconcile: async (key) => {
      const { namespace, name } = splitObjectKey(key);
      const job = jobInformer.get(namespace, name);
      if (!job) return;
      const remaining = dueIn(job);
      if (remaining === undefined) return;
      if (remaining > 0) return controller.queue.addAfter(key, Math.min(remaining, MAX_TIMER_MS));
      try {
        await ctx.clients.kusciaJobs.delete(namespace, name, { propagationPolicy: 'Background', uid: job.metadata.uid });
        log.info({ namespace, name, completionTime: job.status?.completionTime }, 'deleted finished KusciaJob after its retention');
      } catch (err) {
        // Gone already, or (uid precondition) replaced by a new job of the same name.
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    },
  });

  const schedule = (job: KusciaJob) => {
    if (job.metadata?.namespace !== CROSS_DOMAIN_NAMESPACE) return;
    const remaining = dueIn(job);
    if (remaining !== undefined) controller.queue.addAfter(objectKey(job), Math.min(Math.max(remaining, 0), MAX_TIMER_MS));
  };
  jobInformer.addEventHandler({ onAdd: schedule, onUpdate: (_old, job) => schedule(job) });

  return {
    name: KUSCIA_JOB_GC_CONTROLLER_NAME,
    run: () => controller.run(),
    stop: () => controller.stop(),
  };
}
