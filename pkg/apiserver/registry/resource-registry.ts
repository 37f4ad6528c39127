import type { ResourceType } from '../api/resource-type.ts';

/**
 * The set of resources the server currently serves. Built-ins are added at start; CRDs come and go
 * at run time, so discovery and OpenAPI documents are cached per `generation` of this registry.
 */
export class ResourceRegistry {
  private readonly byGvr = new Map<string, ResourceType>();
  private gen = 0;

  /** Bumped on every change; caches key their documents on it. */
  get generation(): number {
    return this.gen;
  }

  add(rt: ResourceType): void {
    this.byGvr.set(gvrKey(rt.group, rt.version, rt.resource), rt);
    this.gen++;
  }

  remove(group: string, version: string, resource: string): void {
    if (this.byGvr.delete(gvrKey(group, version, resource))) this.gen++;
  }

  get(group: string, version: string, resource: string): ResourceType | undefined {
    return this.byGvr.get(gvrKey(group, version, resource));
  }

  all(): ResourceType[] {
    return [...this.byGvr.values()];
  }
}

function gvrKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}
