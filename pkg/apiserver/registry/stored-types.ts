import type { ResourceType } from '../api/resource-type.ts';
import type { ResourceRegistry } from './resource-registry.ts';
import { objectKey, resourcePrefix, splitObjectKey } from './storage-keys.ts';

/** A stored object's key resolved to the resource type that serves it. */
export interface StoredObjectRef {
  rt: ResourceType;
  key: string;
  namespace: string;
  name: string;
}

/**
 * From storage back to the API: which served resource type owns a stored key, and which one an
 * ownerReference's apiVersion/kind names. Several served types can share one storage prefix
 * (core and events.k8s.io Events, the versions of a CRD); the one without a codec — the stored
 * shape itself — is preferred, so reads and writes through it are lossless.
 */
export class StoredTypes {
  private readonly registry: ResourceRegistry;
  private generation = -1;
  private byPrefix = new Map<string, ResourceType>();
  private byGroupKind = new Map<string, ResourceType>();

  constructor(registry: ResourceRegistry) {
    this.registry = registry;
  }

  forKey(key: string): StoredObjectRef | undefined {
    const parts = splitObjectKey(key);
    if (!parts) return undefined;
    const rt = this.index().byPrefix.get(parts.prefix);
    if (!rt || rt.namespaced !== (parts.namespace !== '')) return undefined;
    return { rt, key, namespace: parts.namespace, name: parts.name };
  }

  /** The type an ownerReference names (apiVersion "apps/v1" + kind "Deployment"); any served version will do. */
  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    return this.index().byGroupKind.get(`${group}/${kind}`);
  }

  /** Where an object of `rt` named `name` would be stored, seen from an object in `namespace`. */
  keyFor(rt: ResourceType, namespace: string, name: string): string {
    return objectKey(rt, rt.namespaced ? namespace : '', name);
  }

  /** One type per storage prefix, namespaced ones only (what a namespace can contain). */
  namespacedTypes(): ResourceType[] {
    return [...this.index().byPrefix.values()].filter((rt) => rt.namespaced);
  }

  private index(): { byPrefix: Map<string, ResourceType>; byGroupKind: Map<string, ResourceType> } {
    if (this.generation !== this.registry.generation) {
      const byPrefix = new Map<string, ResourceType>();
      const byGroupKind = new Map<string, ResourceType>();
      for (const rt of this.registry.all()) {
        const prefix = resourcePrefix(rt);
        if (!byPrefix.has(prefix) || (byPrefix.get(prefix)?.codec && !rt.codec)) byPrefix.set(prefix, rt);
        const gk = `${rt.group}/${rt.kind}`;
        if (!byGroupKind.has(gk) || (byGroupKind.get(gk)?.codec && !rt.codec)) byGroupKind.set(gk, rt);
      }
      this.byPrefix = byPrefix;
      this.byGroupKind = byGroupKind;
      this.generation = this.registry.generation;
    }
    return { byPrefix: this.byPrefix, byGroupKind: this.byGroupKind };
  }
}
