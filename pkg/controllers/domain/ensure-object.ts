import { isAlreadyExists } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { ApiObject } from '../../kube/wire.ts';

export type EnsureOutcome = 'created' | 'updated' | 'unchanged';

export interface EnsureRequest<T extends ApiObject> {
  client: ResourceClient<T>;
  /** What the informer cache holds under that name (it only sees objects carrying our label). */
  cached: T | undefined;
  desired: T;
  /**
   * The object to PUT so `existing` matches what we want — built on a copy, never on `existing`
   * itself (cache objects are shared) — or undefined when it already matches.
   */
  update: (existing: T) => T | undefined;
}

/**
 * Create-or-update by deterministic name. An object the cache does not know (created by someone
 * else, or not yet seen) is found through AlreadyExists and then brought in line by `update`, which
 * also adopts it (our label and owner), so it is in the cache from then on. The PUT carries the
 * resourceVersion read, so a concurrent writer makes it fail with a Conflict and the key is retried.
 */
export async function ensureObject<T extends ApiObject>(req: EnsureRequest<T>): Promise<EnsureOutcome> {
  let existing = req.cached;
  if (!existing) {
    try {
      await req.client.create(req.desired);
      return 'created';
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      existing = await req.client.get(req.desired.metadata?.namespace ?? '', req.desired.metadata?.name ?? '');
    }
  }
  const next = req.update(existing);
  if (!next) return 'unchanged';
  await req.client.replace(next);
  return 'updated';
}
