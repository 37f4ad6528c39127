/** Deleting what a task owns, by UID: a namesake created since (another incarnation) is left alone. */
import { isConflict, isNotFound } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { ApiObject } from '../../kube/wire.ts';

/** Deletes `obj` if it still exists with its UID; gone or replaced is fine. */
export async function deleteOwned<T extends ApiObject>(client: ResourceClient<T>, obj: ApiObject): Promise<void> {
  try {
    await client.delete(obj.metadata?.namespace ?? '', obj.metadata?.name ?? '', { uid: obj.metadata?.uid });
  } catch (err) {
    // 409 here is the UID precondition failing: the object was replaced by a namesake.
    if (!isNotFound(err) && !isConflict(err)) throw err;
  }
}
