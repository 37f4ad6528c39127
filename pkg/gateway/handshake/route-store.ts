/**
 * How the handshake reads and writes the DomainRoutes of its own namespace. An interface so the
 * protocol is tested against plain memory and runs against the API server (kube-route-store.ts)
 * or, later, an informer cache, without knowing which.
 */
import type { DomainRoute } from '../../crd/index.ts';

export interface DomainRouteStore {
  /** The DomainRoute of this name in the store's namespace; undefined when there is none. */
  get(name: string): Promise<DomainRoute | undefined>;
  /**
   * Applies `mutate` to a copy of the current object and writes its status (retrying on conflicts
   * with the object read fresh, so `mutate` must decide from what it is given). `mutate` returns
   * false when nothing needs writing. Rejects with DomainRouteGoneError when the object is absent.
   */
  updateStatus(name: string, mutate: (route: DomainRoute) => boolean | void): Promise<DomainRoute>;
}

export class DomainRouteGoneError extends Error {
  override readonly name = 'DomainRouteGoneError';
  constructor(routeName: string) {
    super(`domainroute ${routeName} not found`);
  }
}
