/**
 * The TaskResourceGroup controller (Kuscia §2.4): turns a task's group into one TaskResource per
 * party, links the party's pods to it, and decides for all parties together — Reserved once
 * `minReservedMembers` parties reserved (then every TaskResource Schedulable), ReserveFailed and a
 * retry when too many failed, Failed when the lifecycle is over. TaskResources are only written
 * here and by the scheduler; there is no separate TaskResource controller.
 */
import { Annotations, Labels } from '../../crd/constants.ts';
import type { TaskResource, TaskResourceGroup } from '../../crd/resource.ts';
import { Controller } from '../../kube/controller.ts';
import { RateLimitingQueue } from '../../kube/work-queue.ts';
import { CoreResources } from '../../kube/resources.ts';
import type { Namespace, Pod } from '../../kube/wire.ts';
import type { ControllerContext, KusciaController } from '../common/controller-context.ts';
import { KusciaResources } from '../common/resources.ts';
import { indexByGroupUid, TASK_RESOURCES_BY_GROUP_UID, type TrgDeps } from './deps.ts';
import { OwnWrites } from './own-writes.ts';
import { failAfterRetries, reconcileGroup } from './reconcile.ts';

export const TASK_RESOURCE_GROUP_CONTROLLER = 'taskresourcegroup-controller';

export interface TaskResourceGroupControllerOptions {
  /** Parallel reconciles (Kuscia: 4). */
  workers?: number;
  /** Failed reconciles of one group before it is failed (Kuscia: 15, about 80 s of backoff). */
  maxRetries?: number;
}

/** The group a TaskResource belongs to: its controller owner, else the annotation. */
function groupNameOf(tr: TaskResource): string | undefined {
  if (!tr.metadata.labels?.[Labels.TaskResourceGroupUID]) return undefined;
  const owner = tr.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'TaskResourceGroup');
  return owner?.name ?? (tr.metadata.annotations?.[Annotations.TaskResourceGroup] || undefined);
}

/** A task pod names its group in an annotation; it matters to the group until it is linked. */
function groupNameOfPod(pod: Pod): string | undefined {
  return pod.metadata?.annotations?.[Annotations.TaskResourceGroup] || undefined;
}

function hasTaskResourceLink(pod: Pod): boolean {
  return !!pod.metadata?.annotations?.[Annotations.TaskResource] && !!pod.metadata?.labels?.[Labels.TaskResourceUID];
}

export function newTaskResourceGroupController(ctx: ControllerContext, options: TaskResourceGroupControllerOptions = {}): KusciaController {
  const log = ctx.log.child({ component: TASK_RESOURCE_GROUP_CONTROLLER });
  const groups = ctx.informers.informerFor<TaskResourceGroup>(KusciaResources.taskResourceGroups);
  const taskResources = ctx.informers.informerFor<TaskResource>(KusciaResources.taskResources);
  const pods = ctx.informers.informerFor<Pod>(CoreResources.pods);
  const namespaces = ctx.informers.informerFor<Namespace>(CoreResources.namespaces);
  taskResources.addIndexer(TASK_RESOURCES_BY_GROUP_UID, indexByGroupUid);

  // Created first: the phase handlers arm their timers on it.
  const queue = new RateLimitingQueue();
  const deps: TrgDeps = {
    clients: ctx.clients,
    groups,
    taskResources,
    pods,
    namespaces,
    log,
    now: ctx.now,
    ownGroupWrites: new OwnWrites<TaskResourceGroup>(),
    ownTaskResourceWrites: new OwnWrites<TaskResource>(),
    requeueAfter: (name, ms) => queue.addAfter(name, ms),
  };
  const controller = new Controller({
    name: TASK_RESOURCE_GROUP_CONTROLLER,
    queue,
    log: ctx.log,
    workers: options.workers ?? 4,
    maxRetries: options.maxRetries ?? 15,
    reconcile: (key) => reconcileGroup(deps, key),
    onMaxRetries: (key, err) => failAfterRetries(deps, key, err),
  });
  const enqueue = (name: string | undefined) => {
    if (name) controller.enqueue(name);
  };

  groups.addEventHandler({
    onAdd: (trg) => enqueue(trg.metadata.name),
    onUpdate: (old, trg) => {
      if (old.metadata.resourceVersion === trg.metadata.resourceVersion) return;
      deps.ownGroupWrites.observe(trg);
      enqueue(trg.metadata.name);
    },
    onDelete: (trg) => deps.ownGroupWrites.forget(trg),
  });
  taskResources.addEventHandler({
    onAdd: (tr) => enqueue(groupNameOf(tr)),
    onUpdate: (old, tr) => {
      if (old.metadata.resourceVersion === tr.metadata.resourceVersion) return;
      deps.ownTaskResourceWrites.observe(tr);
      enqueue(groupNameOf(tr));
    },
    onDelete: (tr) => {
      deps.ownTaskResourceWrites.forget(tr);
      enqueue(groupNameOf(tr));
    },
  });
  pods.addEventHandler({
    onAdd: (pod) => enqueue(groupNameOfPod(pod)),
    onUpdate: (_old, pod) => {
      if (!hasTaskResourceLink(pod)) enqueue(groupNameOfPod(pod));
    },
  });

  return {
    name: TASK_RESOURCE_GROUP_CONTROLLER,
    run: () => controller.run(),
    stop: () => controller.stop(),
  };
}
