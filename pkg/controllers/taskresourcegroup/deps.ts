/** What the phase handlers share: caches, clients, clock and the queue's delayed re-add. */
import type { Logger } from 'pino';
import { Labels } from '../../crd/constants.ts';
import type { TaskResource, TaskResourceGroup } from '../../crd/resource.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import type { Namespace, Pod } from '../../kube/wire.ts';
import type { KusciaClients } from '../common/clients.ts';
import type { OwnWrites } from './own-writes.ts';

/** Index of the TaskResource informer: TRs by their `task-resource-group-uid` label. */
export const TASK_RESOURCES_BY_GROUP_UID = 'taskresourcegroup/by-group-uid';

export interface TrgDeps {
  clients: KusciaClients;
  groups: SharedInformer<TaskResourceGroup>;
  taskResources: SharedInformer<TaskResource>;
  pods: SharedInformer<Pod>;
  namespaces: SharedInformer<Namespace>;
  log: Logger;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Groups and TaskResources written but not yet seen back through the watch. */
  ownGroupWrites: OwnWrites<TaskResourceGroup>;
  ownTaskResourceWrites: OwnWrites<TaskResource>;
  /** Reconcile the group again after `ms` (an earlier pending re-add wins). */
  requeueAfter: (trgName: string, ms: number) => void;
}

/**
 * The group's TaskResources as cached, each in the newest state we know (our own writes not yet
 * back through the watch included). Shared objects: copy before changing.
 */
export function taskResourcesOf(deps: TrgDeps, trg: TaskResourceGroup): TaskResource[] {
  const uid = trg.metadata.uid;
  if (!uid) return [];
  return deps.taskResources.byIndex(TASK_RESOURCES_BY_GROUP_UID, uid).map((tr) => deps.ownTaskResourceWrites.latest(tr));
}

export function indexByGroupUid(tr: TaskResource): string[] {
  const uid = tr.metadata.labels?.[Labels.TaskResourceGroupUID];
  return uid ? [uid] : [];
}
