import type { GatewayState, InboundRoute, LocalService, OutboundRoute } from './gateway-state.ts';
import { HANDSHAKE_SERVICE } from './names.ts';

/** An input left out of the resources, and why (for the caller to log or report). */
export interface SkippedInput {
  kind: 'outbound' | 'inbound' | 'service';
  name: string;
  reason: string;
}

export interface UsableInputs {
  outbound: OutboundRoute[];
  inbound: InboundRoute[];
  services: LocalService[];
  skipped: SkippedInput[];
}

/**
 * The inputs the builders can turn into a configuration Envoy accepts, sorted so that the same state
 * always gives byte-identical resources. Envoy NACKs a whole RouteConfiguration for one duplicate
 * virtual-host domain and a whole CDS update for one duplicate cluster name, so one bad object must
 * not reach it: such inputs are dropped here (of duplicates, the first given wins).
 */
export function usableInputs(state: GatewayState): UsableInputs {
  const skipped: SkippedInput[] = [];
  const self = state.domain;

  const outbound = keepFirst(sortBy(state.outbound, (r) => r.destination), (r) => r.destination, 'outbound', skipped).filter((route) => {
    const reason =
      route.destination === self
        ? 'destination is this domain'
        : route.endpoint.ports.length === 0
          ? 'endpoint has no ports'
          : new Set(route.endpoint.ports.map((p) => p.name)).size !== route.endpoint.ports.length
            ? 'duplicate port names'
            : undefined;
    if (reason) skipped.push({ kind: 'outbound', name: route.destination, reason });
    return !reason;
  });

  const inbound = keepFirst(sortBy(state.inbound, (r) => r.source), (r) => r.source, 'inbound', skipped).filter((route) => {
    if (route.source === self) skipped.push({ kind: 'inbound', name: route.source, reason: 'source is this domain' });
    return route.source !== self;
  });

  const services = keepFirst(sortBy(state.services, (s) => s.name), (s) => s.name, 'service', skipped).filter((service) => {
    // Its domains would be the handshake virtual host's.
    if (service.name === HANDSHAKE_SERVICE) skipped.push({ kind: 'service', name: service.name, reason: 'reserved for the handshake' });
    return service.name !== HANDSHAKE_SERVICE;
  });

  return { outbound, inbound, services, skipped };
}

function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function keepFirst<T>(items: T[], key: (item: T) => string, kind: SkippedInput['kind'], skipped: SkippedInput[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const name = key(item);
    if (seen.has(name)) {
      skipped.push({ kind, name, reason: 'duplicate' });
      return false;
    }
    seen.add(name);
    return true;
  });
}
