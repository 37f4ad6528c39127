/** The built-in data plane (pkg/gateway/dataplane) as a gateway's DataPlaneLauncher. */
import { startDataPlane } from './dataplane/dataplane.ts';
import type { DataPlaneLauncher } from './gateway.ts';
import { isPeerClusterName } from './xds/resources/names.ts';


export const builtinDataPlane: DataPlaneLauncher = async ({ adsAddress, nodeId, protos, log }) => {
  const dataPlane = await startDataPlane({ adsAddress, nodeId, protos, log });
  return {
    networkStatus: () =>
      dataPlane
        .stats()
        .clusters.filter((c) => isPeerClusterName(c.name))
        .map((c) => ({ name: c.name, type: 'DomainRoute', totalEndpointsCount: c.membershipTotal, healthyEndpointsCount: c.membershipHealthy })),
    stop: () => dataPlane.stop(),
  };
};
