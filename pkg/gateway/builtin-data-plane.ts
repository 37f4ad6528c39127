/** The built-in data plane (pkg/gateway/dataplane) as a gateway's DataPlaneLauncher. */
import { startDataPlane } from './dataplane/dataplane.ts';
import type { DataPlaneLauncher } from './gateway.ts';

/** Peer clusters are named `<src>-to-<dst>-<port>` (Kuscia): the ones a Gateway reports as DomainRoute. */
const PEER_CLUSTER = /^[a-z0-9-]+-to-[a-z0-9-]+-[a-z0-9-]+$/;

export const builtinDataPlane: DataPlaneLauncher = async ({ adsAddress, nodeId, protos, log }) => {
  const dataPlane = await startDataPlane({ adsAddress, nodeId, protos, log });
  return {
    networkStatus: () =>
      dataPlane
        .stats()
        .clusters.filter((c) => PEER_CLUSTER.test(c.name))
        .map((c) => ({ name: c.name, type: 'DomainRoute', totalEndpointsCount: c.membershipTotal, healthyEndpointsCount: c.membershipHealthy })),
    stop: () => dataPlane.stop(),
  };
};
