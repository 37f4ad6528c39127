/**
 * Rebuilding the port allocator when the controller starts (or takes over leadership): every port
 * recorded by an unfinished task, and every port of a task pod that may still be listening. Runs
 * synchronously on synced caches before the first reconcile, so nothing can be handed out twice.
 */
import type { Logger } from 'pino';
import type { KusciaTask } from '../../crd/index.ts';
import { isPodTerminal } from '../../kube/object-state.ts';
import type { Pod } from '../../kube/wire.ts';
import { portKey } from './names.ts';
import type { PortAllocator } from './port-allocator.ts';
import { owningTaskName, owningTaskUID } from './task-objects.ts';

export function rebuildPortState(allocator: PortAllocator, tasks: readonly KusciaTask[], pods: readonly Pod[], log: Logger): void {
  const conflict = (port: number, namespace: string, key: string, taskName: string) =>
    log.warn({ port, namespace, key, task: taskName, holder: allocator.holderOf(port) }, 'port recorded by two tasks; keeping the first holder');
  for (const task of tasks) {
    if (task.status?.completionTime) continue;
    const owner = { taskName: task.metadata.name ?? '', taskUID: task.metadata.uid ?? '' };
    for (const party of task.status?.allocatedPorts ?? []) {
      for (const [key, port] of Object.entries(party.namedPort ?? {})) {
        if (!allocator.reserve(owner, party.domainID, key, port)) conflict(port, party.domainID, key, owner.taskName);
      }
    }
  }
  for (const pod of pods) {
    const taskUID = owningTaskUID(pod);
    const taskName = owningTaskName(pod);
    if (!taskUID || !taskName || isPodTerminal(pod)) continue;
    const namespace = pod.metadata?.namespace ?? '';
    for (const container of pod.spec?.containers ?? []) {
      for (const port of container.ports ?? []) {
        const key = portKey(pod.metadata?.name ?? '', port.name ?? String(port.containerPort));
        if (!allocator.reserve({ taskName, taskUID }, namespace, key, port.containerPort)) conflict(port.containerPort, namespace, key, taskName);
      }
    }
  }
}
