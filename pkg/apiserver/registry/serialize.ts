import type { KubeObject } from '../api/object.ts';

/**
 * The stored (and served) JSON text of an object at a revision. apiVersion, kind and metadata
 * lead, as in kube-apiserver's output; resourceVersion is the revision of the write.
 */
export function serializeAt(obj: KubeObject, revision: number): string {
  obj.metadata.resourceVersion = String(revision);
  const { apiVersion, kind, metadata, ...rest } = obj;
  return JSON.stringify({ apiVersion, kind, metadata, ...rest });
}
