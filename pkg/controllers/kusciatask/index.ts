/**
 * The KusciaTask controller (Kuscia: pkg/controllers/kusciatask): turns each KusciaTask in
 * cross-domain into pods, Services and ConfigMaps in the party namespaces plus a TaskResourceGroup,
 * and derives the task's phase from them. See reconcile.ts for one pass, the phase handlers
 * (pending.ts, running.ts, finished.ts) for the state machine.
 */
import { ControllerName, CROSS_DOMAIN_NAMESPACE, Labels, type AppImage, type KusciaTask, type TaskResourceGroup } from '../../crd/index.ts';
import { Controller } from '../../kube/controller.ts';
import { CoreResources } from '../../kube/resources.ts';
import { RateLimitingQueue } from '../../kube/work-queue.ts';
import type { EventHandlers } from '../../kube/shared-informer.ts';
import type { ApiObject, ConfigMap, Namespace, Node, Pod, Service } from '../../kube/wire.ts';
import type { ControllerContext, KusciaController } from '../common/controller-context.ts';
import { KusciaResources } from '../common/resources.ts';
import type { TaskControllerDeps } from './deps.ts';
import { addNodeIndex, addTaskIndexes } from './indexes.ts';
import { PortAllocator } from './port-allocator.ts';
import { rebuildPortState } from './port-state.ts';
import { ResourceWaitList } from './resource-waits.ts';
import { forceFailTask, reconcileTask } from './reconcile.ts';
import { owningTaskName, owningTaskUID } from './task-objects.ts';

export interface KusciaTaskControllerOptions {
  /** Parallel reconciles (Kuscia: 4). */
  workers?: number;
  /** Failed reconciles requeued before the task is force-failed (Kuscia: 3). */
  maxRetries?: number;
  /** The port allocator; one per controller by default (tests may share or inspect one). */
  portAllocator?: PortAllocator;
  /** A task waiting for node capacity is checked again at least this often (default 1 s). */
  permitRecheckMs?: number;
}

export const KUSCIA_TASK_CONTROLLER_NAME = 'kusciatask';

export function newKusciaTaskController(ctx: ControllerContext, options: KusciaTaskControllerOptions = {}): KusciaController {
  const { informers } = ctx;
  const queue = new RateLimitingQueue();
  const resourceWaits = new ResourceWaitList(queue, options.permitRecheckMs ?? 1000, ctx.now);
  const labelled = { labelSelector: Labels.TaskUID };
  const deps: TaskControllerDeps = {
    clients: ctx.clients,
    tasks: informers.informerFor<KusciaTask>(KusciaResources.kusciaTasks, { namespace: CROSS_DOMAIN_NAMESPACE }),
    pods: informers.informerFor<Pod>(CoreResources.pods),
    services: informers.informerFor<Service>(CoreResources.services, labelled),
    configMaps: informers.informerFor<ConfigMap>(CoreResources.configMaps, labelled),
    taskResourceGroups: informers.informerFor<TaskResourceGroup>(KusciaResources.taskResourceGroups),
    appImages: informers.informerFor<AppImage>(KusciaResources.appImages),
    nodes: informers.informerFor<Node>(CoreResources.nodes),
    namespaces: informers.informerFor<Namespace>(CoreResources.namespaces),
    allocator: options.portAllocator ?? new PortAllocator(),
    log: ctx.log.child({ component: KUSCIA_TASK_CONTROLLER_NAME }),
    now: ctx.now,
    maxRetries: options.maxRetries ?? 3,
    resourceWaits,
  };
  addTaskIndexes(deps.pods);
  addTaskIndexes(deps.services);
  addTaskIndexes(deps.configMaps);
  addNodeIndex(deps.pods);

  const controller = new Controller({
    name: KUSCIA_TASK_CONTROLLER_NAME,
    reconcile: (key) => reconcileTask(deps, key),
    log: ctx.log,
    workers: options.workers ?? 4,
    maxRetries: deps.maxRetries,
    onMaxRetries: (key, err) => forceFailTask(deps, key, err),
    queue,
  });
  const taskKey = (name: string) => `${CROSS_DOMAIN_NAMESPACE}/${name}`;

  deps.tasks.addEventHandler({
    onAdd: (t) => controller.enqueue(t),
    onUpdate: (_, t) => controller.enqueue(t),
    // The key alone: the reconcile finds the task gone and removes what it left.
    onDelete: (t) => controller.enqueue(taskKey(t.metadata.name ?? '')),
  });
  // Objects of a task bring their task back: a pod changed phase, or something of a deleted task
  // is still around (on start this also sweeps what tasks deleted during a downtime left behind).
  const byOwningTask = <T extends ApiObject>(): EventHandlers<T> => {
    const enqueue = (obj: T) => {
      const name = owningTaskName(obj);
      if (name && owningTaskUID(obj)) controller.enqueue(taskKey(name));
    };
    return {
      onAdd: enqueue,
      // Resyncs (same resourceVersion) change nothing.
      onUpdate: (old, obj) => {
        if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) enqueue(obj);
      },
      onDelete: enqueue,
    };
  };
  deps.pods.addEventHandler(byOwningTask<Pod>());
  deps.services.addEventHandler(byOwningTask<Service>());
  deps.configMaps.addEventHandler(byOwningTask<ConfigMap>());
  deps.nodes.addEventHandler({
    onAdd: (node) => resourceWaits.onNode(undefined, node),
    onUpdate: (old, node) => resourceWaits.onNode(old, node),
  });
  deps.taskResourceGroups.addEventHandler({
    onAdd: (trg) => enqueueGroupTask(trg),
    onUpdate: (old, trg) => {
      if (old.metadata.resourceVersion !== trg.metadata.resourceVersion) enqueueGroupTask(trg);
    },
    onDelete: (trg) => enqueueGroupTask(trg),
  });
  function enqueueGroupTask(trg: TaskResourceGroup): void {
    if (trg.metadata.labels?.[Labels.Controller] === ControllerName.KusciaTask) controller.enqueue(taskKey(trg.metadata.name ?? ''));
  }

  return {
    name: KUSCIA_TASK_CONTROLLER_NAME,
    run() {
      // Caches are synced when run() is called: rebuild before the first reconcile can allocate.
      rebuildPortState(deps.allocator, deps.tasks.list(), deps.pods.list(), deps.log);
      controller.run();
    },
    stop: () => controller.stop(),
  };
}
