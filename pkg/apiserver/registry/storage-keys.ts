import type { ResourceType } from '../api/resource-type.ts';

/**
 * Storage key layout, like kube-apiserver's etcd keys:
 *   /registry/<group|core>/<resource>/<namespace>/<name>   (namespaced)
 *   /registry/<group|core>/<resource>/<name>               (cluster-scoped)
 * The version is not part of the key: every served version of a resource shares one object.
 * Some resources are served under two groups but stored once (core/v1 and events.k8s.io/v1
 * Events); `storageGroup` / `storageResource` on the ResourceType point both at one prefix.
 */
type KeyTarget = Pick<ResourceType, 'group' | 'resource'> & { storageGroup?: string; storageResource?: string };

export function resourcePrefix(rt: KeyTarget): string {
  const group = rt.storageGroup ?? rt.group;
  return `/registry/${group || 'core'}/${rt.storageResource ?? rt.resource}/`;
}

/** Prefix for a list/watch: one namespace, or everything when namespace is ''. */
export function collectionPrefix(rt: KeyTarget, namespace: string): string {
  return namespace ? `${resourcePrefix(rt)}${namespace}/` : resourcePrefix(rt);
}

export function objectKey(rt: KeyTarget, namespace: string, name: string): string {
  return namespace ? `${resourcePrefix(rt)}${namespace}/${name}` : `${resourcePrefix(rt)}${name}`;
}

/**
 * The parts of a stored object's key: the resource prefix (`/registry/<group>/<resource>/`) and
 * what follows it — `<namespace>/<name>` or `<name>`. Names never contain '/', so the count of
 * segments tells namespaced keys from cluster-scoped ones.
 */
export function splitObjectKey(key: string): { prefix: string; namespace: string; name: string } | undefined {
  const parts = key.split('/');
  // ['', 'registry', group, resource, namespace?, name]
  if (parts[0] !== '' || parts[1] !== 'registry') return undefined;
  const prefix = `/registry/${parts[2]}/${parts[3]}/`;
  if (parts.length === 5) return { prefix, namespace: '', name: parts[4] };
  if (parts.length === 6) return { prefix, namespace: parts[4], name: parts[5] };
  return undefined;
}
