import type { ResourceType } from '../api/resource-type.ts';
import { compareGroups } from './group-priority.ts';
import { compareKubeAwareVersions } from './version-priority.ts';

export interface ServedVersion {
  version: string;
  /** `v1` for core, `<group>/<version>` otherwise. */
  groupVersion: string;
  /** Sorted by resource name, as kube-apiserver lists them. */
  resources: ResourceType[];
}

export interface ServedGroup {
  /** "" for the core group. */
  name: string;
  /** Preferred version first. */
  versions: ServedVersion[];
}

/** Groups the served resource types by group and version in Kubernetes' discovery order. */
export function servedGroups(types: readonly ResourceType[]): ServedGroup[] {
  const byGroup = new Map<string, Map<string, ResourceType[]>>();
  for (const rt of types) {
    let versions = byGroup.get(rt.group);
    if (!versions) byGroup.set(rt.group, (versions = new Map()));
    let resources = versions.get(rt.version);
    if (!resources) versions.set(rt.version, (resources = []));
    resources.push(rt);
  }
  return [...byGroup.keys()].sort(compareGroups).map((name) => ({
    name,
    versions: [...byGroup.get(name)!.keys()].sort(compareKubeAwareVersions).map((version) => ({
      version,
      groupVersion: name ? `${name}/${version}` : version,
      resources: [...byGroup.get(name)!.get(version)!].sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0)),
    })),
  }));
}

export function findServedGroup(types: readonly ResourceType[], group: string): ServedGroup | undefined {
  return servedGroups(types.filter((t) => t.group === group))[0];
}

export function findServedVersion(types: readonly ResourceType[], group: string, version: string): ServedVersion | undefined {
  return findServedGroup(types, group)?.versions.find((v) => v.version === version);
}
