/**
 * DomainRoutes of one namespace in memory, with the semantics the handshake relies on from the API
 * server: reads are copies, writes bump resourceVersion, `updateStatus` changes only status. Used
 * by tests, and by anything that wants to run the protocol without an API server.
 */
import type { DomainRoute } from '../../crd/index.ts';
import { DomainRouteGoneError, type DomainRouteStore } from './route-store.ts';

export class MemoryDomainRouteStore implements DomainRouteStore {
  private readonly routes = new Map<string, DomainRoute>();
  private readonly listeners = new Set<(route: DomainRoute) => void>();
  private version = 0;

  /** Creates or replaces an object (spec and status). */
  put(route: DomainRoute): DomainRoute {
    const name = route.metadata?.name ?? '';
    const stored = structuredClone(route);
    stored.metadata = { ...stored.metadata, name, resourceVersion: String(++this.version) };
    this.routes.set(name, stored);
    this.notify(stored);
    return structuredClone(stored);
  }

  delete(name: string): void {
    this.routes.delete(name);
  }

  /** The stored object without a copy's cost or an await (tests' assertions). */
  peek(name: string): DomainRoute | undefined {
    const route = this.routes.get(name);
    return route && structuredClone(route);
  }

  /** Called after every write with the stored object (a copy): lets a test play a controller. */
  onChange(listener: (route: DomainRoute) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async get(name: string): Promise<DomainRoute | undefined> {
    return this.peek(name);
  }

  async updateStatus(name: string, mutate: (route: DomainRoute) => boolean | void): Promise<DomainRoute> {
    const current = this.routes.get(name);
    if (!current) throw new DomainRouteGoneError(name);
    const copy = structuredClone(current);
    if (mutate(copy) === false) return copy;
    return this.put({ ...current, status: copy.status });
  }

  private notify(route: DomainRoute): void {
    for (const listener of this.listeners) queueMicrotask(() => listener(structuredClone(route)));
  }
}
