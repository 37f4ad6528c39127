/**
 * The KusciaJob controller (Kuscia: pkg/controllers/kusciajob): a state machine over the job phase,
 * one handler per phase (handlers/), reconciling jobs in `cross-domain`. Jobs in other namespaces
 * are ignored, as in Kuscia (secretflow/kuscia#276), with one debug line each.
 *
 * Inputs: KusciaJobs; KusciaTasks whose controller is a KusciaJob (their changes re-enqueue the job);
 * namespaces (a domain's namespace appearing or changing role re-enqueues the jobs naming it);
 * AppImages (to split party resources). Handler errors requeue with backoff; after 3 requeues the
 * job is force-failed.
 */
import {
  CROSS_DOMAIN_NAMESPACE,
  KusciaJobPhase,
  Labels,
  type AppImage,
  type KusciaJob,
  type KusciaTask,
} from '../../crd/index.ts';
import { isConflict, isNotFound } from '../../kube/api-errors.ts';
import { Controller } from '../../kube/controller.ts';
import { objectKey, splitObjectKey } from '../../kube/object-key.ts';
import { CoreResources } from '../../kube/resources.ts';
import type { Namespace } from '../../kube/wire.ts';
import { rfc3339, type ControllerContext, type KusciaController } from '../common/controller-context.ts';
import { KusciaResources } from '../common/resources.ts';
import type { JobHandlerDeps } from './deps.ts';
import { forceFailJob, JOB_MAX_RETRIES } from './force-fail.ts';
import { handlerFor } from './handlers/index.ts';
import { JobTasks } from './job-tasks.ts';
import { shouldReconcile, statusChanged, touchJobTimes } from './job-status.ts';
import { namespaceView } from './namespaces.ts';
import { jobPartyDomains } from './parties.ts';
import { KUSCIA_JOB_KIND } from './task-builder.ts';
import { WrittenVersions } from './written-versions.ts';

export const KUSCIA_JOB_CONTROLLER_NAME = 'kusciajob';

export interface KusciaJobControllerOptions {
  /** Parallel reconciles (Kuscia: 4). */
  workers?: number;
  /** Partners approve jobs by hand instead of automatically (Kuscia's enableWorkloadApprove; default false). */
  enableWorkloadApprove?: boolean;
}

/** Jobs by every domain they name (initiator and parties), to find them when a namespace changes. */
const JOB_DOMAIN_INDEX = 'kuscia-job-domain';

function jobDomains(job: KusciaJob): string[] {
  if (job.metadata?.namespace !== CROSS_DOMAIN_NAMESPACE || !job.spec) return [];
  return [...new Set([job.spec.initiator, ...jobPartyDomains(job.spec)])];
}

/** The job a task belongs to: its controller ownerReference of kind KusciaJob. */
function ownerJobKey(task: KusciaTask): string | undefined {
  const owner = task.metadata?.ownerReferences?.find((ref) => ref.controller && ref.kind === KUSCIA_JOB_KIND);
  return owner ? `${task.metadata.namespace ?? ''}/${owner.name}` : undefined;
}

export function newKusciaJobController(ctx: ControllerContext, options: KusciaJobControllerOptions = {}): KusciaController {
  const log = ctx.log.child({ component: KUSCIA_JOB_CONTROLLER_NAME });
  const jobInformer = ctx.informers.informerFor<KusciaJob>(KusciaResources.kusciaJobs);
  const taskInformer = ctx.informers.informerFor<KusciaTask>(KusciaResources.kusciaTasks, { namespace: CROSS_DOMAIN_NAMESPACE });
  const namespaceInformer = ctx.informers.informerFor<Namespace>(CoreResources.namespaces);
  const appImageInformer = ctx.informers.informerFor<AppImage>(KusciaResources.appImages);
  jobInformer.addIndexer(JOB_DOMAIN_INDEX, jobDomains);
  const written = new WrittenVersions();

  const deps: JobHandlerDeps = {
    ctx,
    log,
    namespaces: namespaceView(namespaceInformer, ctx.clients.namespaces),
    tasks: new JobTasks(taskInformer),
    async appImage(name) {
      const cached = appImageInformer.get('', name);
      if (cached) return cached;
      try {
        return await ctx.clients.appImages.get('', name);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    enableWorkloadApprove: options.enableWorkloadApprove ?? false,
    now: () => rfc3339(ctx.now()),
    jobWritten: (before, after) => written.record(objectKey(before), before, after),
  };

  const controller = new Controller({
    name: KUSCIA_JOB_CONTROLLER_NAME,
    log: ctx.log,
    workers: options.workers ?? 4,
    maxRetries: JOB_MAX_RETRIES,
    reconcile,
    onMaxRetries: async (key, lastError) => {
      const { namespace, name } = splitObjectKey(key);
      const job = jobInformer.get(namespace, name);
      if (job) await forceFailJob(structuredClone(job), lastError, { ...deps, log: log.child({ namespace, name }) });
    },
  });

  async function reconcile(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    if (namespace !== CROSS_DOMAIN_NAMESPACE) return;
    const cached = jobInformer.get(namespace, name);
    if (!cached || !shouldReconcile(cached) || written.isStale(key, cached)) return;
    // Cache objects are shared between controllers: work on a copy.
    const job = structuredClone(cached);
    const phase = job.status?.phase || KusciaJobPhase.Initialized;
    const jobLog = log.child({ namespace, name, phase });
    const outcome = await handlerFor(phase)(job, { ...deps, log: jobLog });
    if (outcome === 'written') return;
    const status = (job.status ??= {});
    if (!statusChanged(cached.status, status)) return;
    touchJobTimes(status, deps.now());
    try {
      written.record(key, cached, await ctx.clients.kusciaJobs.replaceStatus(job));
    } catch (err) {
      // Our copy was stale; the update event that made it so brings the job back.
      if (isConflict(err)) return jobLog.debug('job changed meanwhile; reconciling again on its update');
      if (isNotFound(err)) return;
      throw err;
    }
    if (status.phase !== cached.status?.phase) {
      jobLog.info({ to: status.phase, reason: status.reason, message: status.message }, 'job phase changed');
    }
  }

  // Jobs outside cross-domain are never reconciled; say so once per job.
  const ignored = new Set<string>();
  const enqueueJob = (job: KusciaJob) => {
    if (job.metadata?.namespace === CROSS_DOMAIN_NAMESPACE) return controller.enqueue(job);
    const uid = job.metadata?.uid ?? objectKey(job);
    if (ignored.has(uid)) return;
    ignored.add(uid);
    log.debug({ namespace: job.metadata?.namespace, name: job.metadata?.name }, `KusciaJob ignored: jobs must be created in namespace ${CROSS_DOMAIN_NAMESPACE}`);
  };
  jobInformer.addEventHandler({
    onAdd: enqueueJob,
    onUpdate: (_old, job) => enqueueJob(job),
    onDelete: (job) => {
      ignored.delete(job.metadata?.uid ?? objectKey(job));
      written.forget(objectKey(job));
    },
  });

  const enqueueOwner = (task: KusciaTask) => {
    const key = ownerJobKey(task);
    if (key) controller.enqueue(key);
  };
  taskInformer.addEventHandler({
    onAdd: enqueueOwner,
    onUpdate: (old, task) => {
      if (old !== task) enqueueOwner(task);
    },
    onDelete: (task) => {
      deps.tasks.forget(task.metadata?.uid);
      enqueueOwner(task);
    },
  });

  // A domain's namespace appearing (or becoming a partner) changes what its jobs can do.
  const enqueueJobsOf = (ns: Namespace) => {
    for (const job of jobInformer.byIndex(JOB_DOMAIN_INDEX, ns.metadata?.name ?? '')) {
      if (shouldReconcile(job)) controller.enqueue(job);
    }
  };
  const domainLabels = (ns: Namespace) => [ns.metadata?.labels?.[Labels.DomainRole], ns.metadata?.labels?.[Labels.InterConnProtocols]].join('|');
  namespaceInformer.addEventHandler({
    onAdd: enqueueJobsOf,
    onUpdate: (old, ns) => {
      if (old !== ns && domainLabels(old) !== domainLabels(ns)) enqueueJobsOf(ns);
    },
  });

  return {
    name: KUSCIA_JOB_CONTROLLER_NAME,
    run: () => controller.run(),
    stop: () => controller.stop(),
  };
}
