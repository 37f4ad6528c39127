import { describe, expect, it } from 'vitest';
import { networkStatusFromClusters } from './admin-client.ts';

const host = (health_status: Record<string, unknown> | undefined) => ({ address: { socket_address: { address: '10.0.0.1', port_value: 1080 } }, ...(health_status ? { health_status } : {}) });

describe('networkStatusFromClusters (Envoy admin /clusters?format=json)', () => {
  it('counts the hosts of each peer cluster and those Envoy would route to', () => {
    const json = {
      cluster_statuses: [
        {
          name: 'alice-to-bob-http',
          host_statuses: [
            host({ eds_health_status: 'HEALTHY' }),
            host({ failed_active_health_check: true, eds_health_status: 'HEALTHY' }),
            host({ failed_outlier_check: true }),
            host({ active_hc_timeout: true }),
            host({ eds_health_status: 'UNHEALTHY' }),
            host({ eds_health_status: 'DRAINING' }),
            host({ pending_dynamic_removal: true }),
            host(undefined),
          ],
        },
        { name: 'alice-to-carol-grpc' },
        { name: 'service-a-to-b', host_statuses: [host({})] },
        { name: 'xds-cluster', host_statuses: [host({})] },
        { name: 'handshake-cluster', host_statuses: [host({})] },
      ],
    };
    expect(networkStatusFromClusters(json)).toEqual([
      { name: 'alice-to-bob-http', type: 'DomainRoute', totalEndpointsCount: 8, healthyEndpointsCount: 3 },
      { name: 'alice-to-carol-grpc', type: 'DomainRoute', totalEndpointsCount: 0, healthyEndpointsCount: 0 },
    ]);
  });

  it('treats a body of another shape as no clusters', () => {
    expect(networkStatusFromClusters('nope')).toEqual([]);
    expect(networkStatusFromClusters({ cluster_statuses: [{ host_statuses: [] }, 3] })).toEqual([]);
  });
});
