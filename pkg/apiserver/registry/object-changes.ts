import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ManagedFieldsEntry } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';

/** What an update changed, in the terms kube-apiserver's strategies use. */
export function hasStatusSubresource(rt: ResourceType): boolean {
  return rt.subresources.includes('status');
}

/**
 * Which kinds carry metadata.generation: custom resources and CRDs always; built-ins whose spec
 * is reconciled by a controller (deployments, pods since PodObservedGenerationTracking).
 */
export function tracksGeneration(rt: ResourceType): boolean {
  if (rt.prunesUnknownFields) return true;
  return rt.group === 'apps' || rt.resource === 'pods' || rt.resource === 'customresourcedefinitions';
}

export function specChanged(rt: ResourceType, next: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status, ...rest } = o;
    return hasStatusSubresource(rt) || status === undefined ? rest : { ...rest, status };
  };
  return !isDeepStrictEqual(strip(next), strip(old));
}

/** Equal up to key order, resourceVersion and managedFields timestamps. */
export function sameContent(next: KubeObject, old: KubeObject): boolean {
  const norm = (o: KubeObject) => {
    const { resourceVersion: _rv, managedFields, ...meta } = o.metadata;
    const managed = (managedFields ?? []).map(({ time: _t, ...m }: ManagedFieldsEntry) => m);
    return { ...o, metadata: { ...meta, managedFields: managed } };
  };
  return isDeepStrictEqual(norm(next), norm(old));
}
