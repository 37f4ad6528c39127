/**
 * Cleanup by label, since party-namespace objects cannot be owned by the KusciaTask. Everything
 * filed under a task name whose task-uid is not the live task's is a leftover: of a deleted task
 * (also one deleted while the controller was down: the informers' initial adds bring those names
 * here on start), or of a previous incarnation after a job restart re-created the task.
 */
import { Labels } from '../../crd/index.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import type { ApiObject, Pod } from '../../kube/wire.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import { deleteOwned } from './delete-object.ts';
import type { TaskControllerDeps } from './deps.ts';
import { BY_TASK_NAME, BY_TASK_UID } from './indexes.ts';
import { owningTaskUID } from './task-objects.ts';

/**
 * Deletes the objects of `taskName` not labelled with `liveUID` (all of them when the task is gone).
 * Returns how many such objects are still present, deleted or being deleted (pods stop gracefully):
 * their delete events bring the task back here.
 */
export async function removeLeftovers(deps: TaskControllerDeps, taskName: string, liveUID: string | undefined): Promise<number> {
  let present = 0;
  const sweep = async <T extends ApiObject>(informer: SharedInformer<T>, client: ResourceClient<T>) => {
    for (const obj of informer.byIndex(BY_TASK_NAME, taskName)) {
      if (owningTaskUID(obj) === liveUID) continue;
      present++;
      if (obj.metadata?.deletionTimestamp) continue;
      deps.log.info({ task: taskName, kind: client.resource.plural, namespace: obj.metadata?.namespace, name: obj.metadata?.name }, 'deleting object of a deleted task');
      await deleteOwned(client, obj);
    }
  };
  await sweep(deps.pods, deps.clients.pods);
  await sweep(deps.services, deps.clients.services);
  await sweep(deps.configMaps, deps.clients.configMaps);
  const trg = deps.taskResourceGroups.get('', taskName);
  const trgUID = trg?.metadata.labels?.[Labels.TaskUID];
  if (trg && trgUID && trgUID !== liveUID) {
    present++;
    if (!trg.metadata.deletionTimestamp) await deleteOwned(deps.clients.taskResourceGroups, trg);
  }
  return present;
}

function holdsPorts(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

/**
 * Frees the ports of every incarnation of `taskName` except `keepUID` once none of its pods can
 * still be listening (a terminating pod's process may run until its grace period ends).
 */
export function releaseIdlePorts(deps: TaskControllerDeps, taskName: string, keepUID: string | undefined): void {
  for (const uid of deps.allocator.ownersOf(taskName)) {
    if (uid === keepUID) continue;
    if (deps.pods.byIndex(BY_TASK_UID, uid).some(holdsPorts)) continue;
    const freed = deps.allocator.release(uid);
    deps.log.debug({ task: taskName, uid, ports: freed.length }, 'released ports');
  }
}
