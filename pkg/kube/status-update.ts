import { isConflict } from './api-errors.ts';
import type { ResourceClient } from './resource-client.ts';
import type { ApiObject } from './wire.ts';

export interface StatusUpdateOptions<T> {
  /** The object to start from (typically the informer's copy; never mutated). Read fresh when omitted. */
  current?: T;
  /** Tries in all (Kuscia: 3). */
  attempts?: number;
}

/**
 * Writes an object's status the way Kuscia's controllers do: apply `mutate` to a copy and PUT
 * it to the status subresource, conditional on its resourceVersion; on 409 Conflict read the object
 * fresh and apply `mutate` again. `mutate` returns false when nothing needs writing. Resolves to the
 * stored object (or the unchanged one); rethrows the last error when every try failed.
 *
 * `mutate` may change `status` (any depth) and the object's and its metadata's own fields; the rest
 * (spec, labels, ...) is shared with the informer cache and must be left alone.
 */
export async function updateStatusWithRetry<T extends ApiObject>(
  client: ResourceClient<T>,
  namespace: string,
  name: string,
  mutate: (obj: T) => boolean | void,
  options: StatusUpdateOptions<T> = {},
): Promise<T> {
  const attempts = options.attempts ?? 3;
  let base = options.current;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const fresh = base ?? (await client.get(namespace, name));
    base = undefined;
    const copy = statusCopy(fresh);
    if (mutate(copy) === false) return fresh;
    try {
      return await client.replaceStatus(copy);
    } catch (err) {
      if (!isConflict(err)) throw err;
      lastError = err;
    }
  }
  throw lastError;
}

/**
 * What `mutate` may write, copied; everything else shared. Informer caches are shared between
 * controllers, so `mutate` must never write into them, but a deep copy of the whole object (spec,
 * managedFields) per status write cost five times this.
 */
function statusCopy<T extends ApiObject>(obj: T): T {
  const copy = { ...obj, metadata: obj.metadata && { ...obj.metadata } };
  const status = (obj as { status?: unknown }).status;
  if (status !== undefined) (copy as { status?: unknown }).status = structuredClone(status);
  return copy;
}
