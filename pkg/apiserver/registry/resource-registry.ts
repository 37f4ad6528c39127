import type { ResourceType } from '../api/resource-type.ts';

/**
 * The set of resources the server currently serves. Built-ins are added at start; CRDs come and go
 * at run time, so discovery and OpenAPI documents are cached per `generation` of this registry.
 */
export class ResourceRegistry {
  private readonly byGvr = new Map<string, ResourceType>();
  private gen = 0;
  private readonly listeners = new Set<() => void>();

  /** Bumped on every change; caches key their documents on it. */
  get generation(): number {
    return this.gen;
  }

  add(rt: ResourceType): void {
    this.byGvr.set(gvrKey(rt.group, rt.version, rt.resource), rt);
    this.changed();
  }

  remove(group: string, version: string, resource: string): void {
    if (this.byGvr.delete(gvrKey(group, version, resource))) this.changed();
  }

  get(group: string, version: string, resource: string): ResourceType | undefined {
    return this.byGvr.get(gvrKey(group, version, resource));
  }

  all(): ResourceType[] {
    return [...this.byGvr.values()];
  }

  /** Every served version of a group, in registration order. */
  versionsOf(group: string): string[] {
    const seen = new Set<string>();
    for (const rt of this.byGvr.values()) if (rt.group === group) seen.add(rt.version);
    return [...seen];
  }

  findByKind(group: string, version: string, kind: string): ResourceType | undefined {
    for (const rt of this.byGvr.values()) if (rt.group === group && rt.version === version && rt.kind === kind) return rt;
    return undefined;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.gen++;
    for (const fn of this.listeners) fn();
  }
}

function gvrKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}
