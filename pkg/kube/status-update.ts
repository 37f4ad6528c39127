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
    // Informer caches are shared between controllers: never write into them.
    const copy = structuredClone(fresh);
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
