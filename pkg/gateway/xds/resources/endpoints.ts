import { TypeUrl, type XdsResource } from '../envoy-protos.ts';
import { socketAddress } from './envoy-values.ts';
import type { LocalService } from './gateway-state.ts';
import { serviceClusterName } from './names.ts';

/**
 * One ClusterLoadAssignment per local service cluster: every ready address on every port, as
 * Kuscia's EndpointsController puts them. A service without ready addresses keeps an empty
 * assignment, so its cluster warms and callers get 503 (no healthy upstream) rather than a
 * cluster stuck warming. Pod churn then changes only these, not the clusters or the routes.
 */
export function buildEndpoints(services: readonly LocalService[]): XdsResource[] {
  return services.map((service) => {
    const clusterName = serviceClusterName(service.name);
    const lbEndpoints = service.addresses.flatMap((address) =>
      // The hostname is what auto_host_rewrite puts in Host (Kuscia sets the address too).
      service.ports.map((port) => ({ endpoint: { address: socketAddress(address, port.port), hostname: address } })),
    );
    return {
      typeUrl: TypeUrl.ClusterLoadAssignment,
      name: clusterName,
      // An empty repeated field does not exist on the wire, so it is not written either.
      body: { clusterName, ...(lbEndpoints.length > 0 ? { endpoints: [{ lbEndpoints }] } : {}) },
    };
  });
}
