/**
 * Secondary indexes on the shared informers: the objects of a task by its name (annotation task-id)
 * and by its UID (label task-uid), and pods by node. A task is deleted and re-created under the same
 * name when its job restarts, so the name finds leftovers of the previous incarnation and the UID
 * tells them apart. Names are prefixed: the pod informer is shared with the scheduler.
 */
import type { SharedInformer } from '../../kube/shared-informer.ts';
import type { ApiObject, Pod } from '../../kube/wire.ts';
import { owningTaskName, owningTaskUID } from './task-objects.ts';

export const BY_TASK_NAME = 'kusciatask/by-task-name';
export const BY_TASK_UID = 'kusciatask/by-task-uid';
export const BY_NODE = 'kusciatask/by-node';

export function addTaskIndexes<T extends ApiObject>(informer: SharedInformer<T>): void {
  informer.addIndexer(BY_TASK_NAME, (obj) => {
    const name = owningTaskName(obj);
    return name && owningTaskUID(obj) ? [name] : [];
  });
  informer.addIndexer(BY_TASK_UID, (obj) => {
    const uid = owningTaskUID(obj);
    return uid ? [uid] : [];
  });
}

export function addNodeIndex(pods: SharedInformer<Pod>): void {
  pods.addIndexer(BY_NODE, (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []));
}
