/**
 * The KusciaTasks of each job, read from the shared KusciaTask informer through an index on the
 * `job-uid` label of tasks this controller created (label `controller=kuscia-job`).
 *
 * A task this controller has just deleted (job restart) may linger in the cache until its DELETED
 * event arrives; counting it would make the restarted job see its old failure again. Such tasks are
 * remembered by uid until the informer drops them.
 */
import { ControllerName, Labels, type KusciaJob, type KusciaTask } from '../../crd/index.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';

export const JOB_UID_INDEX = 'kuscia-job-uid';

export function jobUIDIndex(task: KusciaTask): string[] {
  const labels = task.metadata?.labels ?? {};
  const uid = labels[Labels.JobUID];
  return labels[Labels.Controller] === ControllerName.KusciaJob && uid ? [uid] : [];
}

export class JobTasks {
  private readonly informer: SharedInformer<KusciaTask>;
  private readonly deletedUIDs = new Set<string>();

  constructor(informer: SharedInformer<KusciaTask>) {
    this.informer = informer;
    informer.addIndexer(JOB_UID_INDEX, jobUIDIndex);
  }

  /** The job's live tasks (shared cache objects: do not mutate). */
  of(job: KusciaJob): KusciaTask[] {
    const uid = job.metadata.uid;
    if (!uid) return [];
    return this.informer.byIndex(JOB_UID_INDEX, uid).filter((t) => !this.deletedUIDs.has(t.metadata.uid ?? ''));
  }

  /** The cached task of that name in `namespace`, whoever owns it. */
  get(namespace: string, name: string): KusciaTask | undefined {
    return this.informer.get(namespace, name);
  }

  markDeleted(uid: string | undefined): void {
    if (uid) this.deletedUIDs.add(uid);
  }

  /** Called for every DELETED event: the cache no longer has the task. */
  forget(uid: string | undefined): void {
    if (uid) this.deletedUIDs.delete(uid);
  }
}
