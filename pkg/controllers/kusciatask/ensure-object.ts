/**
 * Create-if-absent for the objects a task owns. Names are deterministic, so "already exists" is
 * normal after a restart or a lost status write, but only an object labelled with this task's UID
 * counts as done: anything else is a conflict the controller must not paper over.
 */
import { isAlreadyExists } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import type { ApiObject } from '../../kube/wire.ts';
import { ForeignObjectError } from './errors.ts';
import { owningTaskUID } from './task-objects.ts';

export async function ensureObject<T extends ApiObject>(
  informer: SharedInformer<T>,
  client: ResourceClient<T>,
  desired: T,
  taskUID: string,
  belongs: (existing: T) => boolean = (existing) => owningTaskUID(existing) === taskUID,
): Promise<T> {
  const namespace = desired.metadata?.namespace ?? '';
  const name = desired.metadata?.name ?? '';
  const key = namespace ? `${namespace}/${name}` : name;
  const kind = desired.kind ?? client.resource.plural;
  const cached = informer.get(namespace, name);
  if (cached) {
    if (!belongs(cached)) throw new ForeignObjectError(kind, key);
    return cached;
  }
  try {
    return await client.create(desired);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const existing = await client.get(namespace, name);
    if (!belongs(existing)) throw new ForeignObjectError(kind, key);
    return existing;
  }
}
