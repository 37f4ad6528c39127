/** What the task controller's handlers work with: clients, the informer caches, the port allocator. */
import type { Logger } from 'pino';
import type { AppImage, KusciaTask, TaskResourceGroup } from '../../crd/index.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import type { ConfigMap, Namespace, Node, Pod, Service } from '../../kube/wire.ts';
import type { KusciaClients } from '../common/clients.ts';
import type { PortAllocator } from './port-allocator.ts';

export interface TaskControllerDeps {
  clients: KusciaClients;
  tasks: SharedInformer<KusciaTask>;
  /** Every pod (shared with the scheduler): task pods, and the pods using node capacity. */
  pods: SharedInformer<Pod>;
  services: SharedInformer<Service>;
  configMaps: SharedInformer<ConfigMap>;
  taskResourceGroups: SharedInformer<TaskResourceGroup>;
  appImages: SharedInformer<AppImage>;
  nodes: SharedInformer<Node>;
  namespaces: SharedInformer<Namespace>;
  allocator: PortAllocator;
  log: Logger;
  now: () => number;
  /** Requeues before a task is force-failed (Kuscia: 3). */
  maxRetries: number;
  /** Tasks whose permit was denied: checked again when nodes change and at least this often. */
  resourceWaits: ResourceWaits;
}

export interface ResourceWaits {
  /** The task waits for capacity until `deadline` (ms since the epoch). */
  wait(taskKey: string, deadline: number): void;
  done(taskKey: string): void;
}
