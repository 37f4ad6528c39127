import { Annotations } from '../../pkg/crd/index.ts';
import type { SharedInformerFactory } from '../../pkg/kube/informer-factory.ts';
import { CoreResources } from '../../pkg/kube/resources.ts';
import type { Pod } from '../../pkg/kube/wire.ts';

export interface PodRecord {
  name: string;
  namespace: string;
  uid: string;
  nodeName?: string;
  phases: string[];
}

/**
 * Remembers every task pod that ever existed (from a watch), so a test can assert what happened in
 * between its polls: which pods were bound, whether a pod name was created twice, which phases it had.
 */
export class PodRecorder {
  private readonly byUid = new Map<string, PodRecord & { taskID: string }>();

  constructor(informers: SharedInformerFactory) {
    const informer = informers.informerFor<Pod>(CoreResources.pods);
    const record = (pod: Pod) => {
      const uid = pod.metadata?.uid ?? '';
      const taskID = pod.metadata?.annotations?.[Annotations.TaskID];
      if (!uid || !taskID) return;
      const entry = this.byUid.get(uid) ?? { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '', uid, taskID, phases: [] };
      if (pod.spec?.nodeName) entry.nodeName = pod.spec.nodeName;
      const phase = pod.status?.phase;
      if (phase && entry.phases.at(-1) !== phase) entry.phases.push(phase);
      this.byUid.set(uid, entry);
    };
    informer.addEventHandler({ onAdd: record, onUpdate: (_old, pod) => record(pod) });
  }

  /** Every pod ever seen for a task (by the task-id annotation). */
  podsOf(taskID: string): PodRecord[] {
    return [...this.byUid.values()].filter((p) => p.taskID === taskID);
  }

  /** Pod names that were created more than once (different uids) for a task. */
  duplicateNames(taskID: string): string[] {
    const seen = new Map<string, number>();
    for (const p of this.podsOf(taskID)) seen.set(`${p.namespace}/${p.name}`, (seen.get(`${p.namespace}/${p.name}`) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  }
}
