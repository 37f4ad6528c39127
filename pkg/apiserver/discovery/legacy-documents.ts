import type { ResourceType } from '../api/resource-type.ts';
import { findServedGroup, findServedVersion, servedGroups, type ServedGroup, type ServedVersion } from './served-groups.ts';
import { storageVersionHash } from './storage-version-hash.ts';
import { subresourceInfo } from './subresources.ts';

/**
 * The "legacy" (unaggregated) discovery documents: what kube-apiserver answers at /api, /apis,
 * /apis/<group>, /api/v1 and /apis/<group>/<version> with `Accept: application/json`.
 * Field presence mirrors the Go structs' omitempty tags so the JSON is byte-for-byte familiar.
 */

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
}

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

/**
 * `GET /api`. `serverAddress` is the host:port clients should use (kube-apiserver advertises its
 * public address for every client network, `0.0.0.0/0`).
 */
export function buildApiVersions(serverAddress: string): APIVersions {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function toApiGroup(group: ServedGroup): APIGroup {
  const versions = group.versions.map((v) => ({ groupVersion: v.groupVersion, version: v.version }));
  return { name: group.name, versions, preferredVersion: versions[0] };
}

/** `GET /apis`: every non-core group, built-ins first in Kubernetes' priority order, then CRD groups. */
export function buildApiGroupList(types: readonly ResourceType[]): APIGroupList {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups(types).filter((g) => g.name !== '').map(toApiGroup),
  };
}

/** `GET /apis/<group>`, or undefined (→ 404) when nothing of that group is served. */
export function buildApiGroup(types: readonly ResourceType[], group: string): APIGroup | undefined {
  if (group === '') return undefined;
  const served = findServedGroup(types, group);
  return served && { kind: 'APIGroup', apiVersion: 'v1', ...toApiGroup(served) };
}

/** Main resource plus one entry per subresource, e.g. `pods`, `pods/binding`, `pods/status`. */
export function apiResourcesOf(rt: ResourceType): APIResource[] {
  const main: APIResource = { name: rt.resource, singularName: rt.singular, namespaced: rt.namespaced, kind: rt.kind, verbs: [...rt.verbs] };
  if (rt.shortNames.length > 0) main.shortNames = [...rt.shortNames];
  if (rt.categories.length > 0) main.categories = [...rt.categories];
  // Only resources kept in storage have a storage version; create-only ones (bindings,
  // tokenreviews, *subjectaccessreviews) are answered without being stored.
  if (rt.verbs.includes('get') || rt.verbs.includes('list')) main.storageVersionHash = storageVersionHash(rt.group, rt.version, rt.kind);

  const subs = rt.subresources.map((sub): APIResource => {
    const info = subresourceInfo(rt, sub);
    const entry: APIResource = { name: `${rt.resource}/${sub}`, singularName: '', namespaced: rt.namespaced, kind: info.kind, verbs: [...info.verbs] };
    if (info.group !== rt.group || info.version !== rt.version) {
      entry.group = info.group;
      entry.version = info.version;
    }
    return entry;
  });
  return [main, ...subs];
}

function toApiResourceList(served: ServedVersion, core: boolean): APIResourceList {
  const resources = served.resources.flatMap(apiResourcesOf).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // kube-apiserver omits apiVersion on the core group's list (/api/v1) but sets it under /apis.
  return core
    ? { kind: 'APIResourceList', groupVersion: served.groupVersion, resources }
    : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: served.groupVersion, resources };
}

/** `GET /api/v1` (group "") or `GET /apis/<group>/<version>`; undefined (→ 404) when not served. */
export function buildApiResourceList(types: readonly ResourceType[], group: string, version: string): APIResourceList | undefined {
  const served = findServedVersion(types, group, version);
  return served && toApiResourceList(served, group === '');
}
