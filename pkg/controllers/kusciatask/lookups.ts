/**
 * Reads that must not trust a cache miss: an object created a moment ago may not be in the informer
 * yet, and treating it as gone would fail a healthy task (Kuscia falls back to the API the same way).
 */
import { CROSS_DOMAIN_NAMESPACE, Labels, type AppImage, type KusciaTask, type TaskResourceGroup } from '../../crd/index.ts';
import { isNotFound } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import type { ApiObject, Namespace, Pod, Service } from '../../kube/wire.ts';
import type { TaskControllerDeps } from './deps.ts';

async function cachedOrLive<T extends ApiObject>(informer: SharedInformer<T>, client: ResourceClient<T>, namespace: string, name: string): Promise<T | undefined> {
  const cached = informer.get(namespace, name);
  if (cached) return cached;
  try {
    return await client.get(namespace, name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function livePod(deps: TaskControllerDeps, namespace: string, name: string): Promise<Pod | undefined> {
  return cachedOrLive(deps.pods, deps.clients.pods, namespace, name);
}

export function liveService(deps: TaskControllerDeps, namespace: string, name: string): Promise<Service | undefined> {
  return cachedOrLive(deps.services, deps.clients.services, namespace, name);
}

export function liveAppImage(deps: TaskControllerDeps, name: string): Promise<AppImage | undefined> {
  return cachedOrLive(deps.appImages, deps.clients.appImages, '', name);
}

export function liveNamespace(deps: TaskControllerDeps, name: string): Promise<Namespace | undefined> {
  return cachedOrLive(deps.namespaces, deps.clients.namespaces, '', name);
}

export function liveTask(deps: TaskControllerDeps, name: string): Promise<KusciaTask | undefined> {
  return cachedOrLive(deps.tasks, deps.clients.kusciaTasks, CROSS_DOMAIN_NAMESPACE, name);
}

/** The task's TaskResourceGroup; its absence is an error (something deleted it under the task). */
export async function taskResourceGroupOf(deps: TaskControllerDeps, task: KusciaTask): Promise<TaskResourceGroup> {
  const name = task.metadata.name ?? '';
  const trg = await cachedOrLive(deps.taskResourceGroups, deps.clients.taskResourceGroups, '', name);
  if (!trg || trg.metadata.labels?.[Labels.TaskUID] !== task.metadata.uid) {
    throw new Error(`get task resource group ${name} failed, not found`);
  }
  return trg;
}
