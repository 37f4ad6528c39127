import type { ResourceType } from '../api/resource-type.ts';
import { servedGroups, type ServedGroup } from './served-groups.ts';
import { subresourceInfo } from './subresources.ts';
import type { GroupVersionKind } from '../api/resource-type.ts';

/**
 * Aggregated discovery (`apidiscovery.k8s.io/v2`, GA in Kubernetes 1.30): all groups, versions and
 * resources in one document, so kubectl needs two requests (/api and /apis) instead of one per
 * group-version. `v2beta1` has the same shape; only apiVersion differs.
 */
export type AggregatedDiscoveryVersion = 'v2' | 'v2beta1';

export type { GroupVersionKind } from '../api/resource-type.ts';

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedDiscoveryVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

function toResourceDiscovery(rt: ResourceType): APIResourceDiscovery {
  const out: APIResourceDiscovery = {
    resource: rt.resource,
    responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singular,
    verbs: [...rt.verbs],
  };
  if (rt.shortNames.length > 0) out.shortNames = [...rt.shortNames];
  if (rt.categories.length > 0) out.categories = [...rt.categories];
  if (rt.subresources.length > 0) {
    out.subresources = [...rt.subresources].sort().map((sub) => {
      const info = subresourceInfo(rt, sub);
      return { subresource: sub, responseKind: { group: info.group, version: info.version, kind: info.kind }, verbs: [...info.verbs] };
    });
  }
  return out;
}

function toGroupDiscovery(group: ServedGroup): APIGroupDiscovery {
  return {
    // The core group has no name; Go's ObjectMeta serialises creationTimestamp as null.
    metadata: group.name ? { name: group.name, creationTimestamp: null } : { creationTimestamp: null },
    versions: group.versions.map((v) => ({
      version: v.version,
      resources: v.resources.map(toResourceDiscovery),
      freshness: 'Current',
    })),
  };
}

/**
 * The document for `GET /api` (`scope: 'core'`, only the core group) or `GET /apis`
 * (`scope: 'groups'`, every other group) when the client asked for aggregated discovery.
 */
export function buildAggregatedDiscovery(
  types: readonly ResourceType[],
  scope: 'core' | 'groups',
  version: AggregatedDiscoveryVersion = 'v2',
): APIGroupDiscoveryList {
  const groups = servedGroups(types).filter((g) => (scope === 'core' ? g.name === '' : g.name !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(toGroupDiscovery),
  };
}
