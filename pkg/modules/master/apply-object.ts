import type { KubeApi } from '../../kube/api-client.ts';
import { isAlreadyExists, isNotFound } from '../../kube/api-errors.ts';

interface Named {
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
}

/**
 * Create, or replace when it exists (resourceVersion taken from the server): what `kubectl apply`
 * does for objects this node owns outright (CRDs, its RBAC), without the three-way merge.
 */
export async function createOrReplace<T extends Named>(api: KubeApi, collectionPath: string, obj: T): Promise<T> {
  const itemPath = `${collectionPath}/${encodeURIComponent(obj.metadata.name ?? '')}`;
  try {
    return await api.request<T>('POST', collectionPath, { body: obj });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const current = await api.request<T>('GET', itemPath);
  return api.request<T>('PUT', itemPath, { body: { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } } });
}

/** Create unless it exists; the existing object is left as it is. */
export async function createIfMissing<T extends Named>(api: KubeApi, collectionPath: string, obj: T): Promise<void> {
  try {
    await api.request<T>('POST', collectionPath, { body: obj });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

export async function getOptional<T>(api: KubeApi, path: string): Promise<T | undefined> {
  try {
    return await api.request<T>('GET', path);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
