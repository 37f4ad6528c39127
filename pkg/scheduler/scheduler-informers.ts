/** The informers the scheduler reads, and the indexes it adds to them. */
import { KusciaResources } from '../controllers/common/resources.ts';
import { Annotations, Labels } from '../crd/constants.ts';
import type { TaskResource } from '../crd/resource.ts';
import type { SharedInformerFactory } from '../kube/informer-factory.ts';
import { CoreResources } from '../kube/resources.ts';
import type { SharedInformer } from '../kube/shared-informer.ts';
import type { Namespace, Node, Pod } from '../kube/wire.ts';
import { taskResourceGroupUid } from './task-resource-status.ts';

/** Pod index: the TaskResource a pod belongs to, `namespace/<task-resource annotation>`. */
export const TASK_RESOURCE_INDEX = 'kuscia-scheduler:task-resource';
/** TaskResource index: the task-resource-group-uid label (siblings of one group). */
export const GROUP_UID_INDEX = 'kuscia-scheduler:task-resource-group-uid';
const PARTNER_ROLE = 'partner';

/** Requests the informers from the shared factory and adds the scheduler's indexes. */
export function openSchedulerInformers(factory: SharedInformerFactory): SchedulerInformers {
  const pods = factory.informerFor<Pod>(CoreResources.pods);
  pods.addIndexer(TASK_RESOURCE_INDEX, (pod) => {
    const tr = pod.metadata?.annotations?.[Annotations.TaskResource];
    return tr ? [`${pod.metadata?.namespace ?? ''}/${tr}`] : [];
  });
  const taskResources = factory.informerFor<TaskResource>(KusciaResources.taskResources);
  taskResources.addIndexer(GROUP_UID_INDEX, (tr) => {
    const uid = taskResourceGroupUid(tr);
    return uid ? [uid] : [];
  });
  const nodes = factory.informerFor<Node>(CoreResources.nodes);
  const partnerNamespaces = factory.informerFor<Namespace>(CoreResources.namespaces, { labelSelector: `${Labels.DomainRole}=${PARTNER_ROLE}` });
  return { pods, taskResources, nodes, partnerNamespaces };
}

export interface SchedulerInformers {
  /** Indexed by TASK_RESOURCE_INDEX. */
  readonly pods: SharedInformer<Pod>;
  /** Indexed by GROUP_UID_INDEX. */
  readonly taskResources: SharedInformer<TaskResource>;
  readonly nodes: SharedInformer<Node>;
  /** Only namespaces labelled as a partner's: their pods are scheduled by the partner, not us. */
  readonly partnerNamespaces: SharedInformer<Namespace>;
}
