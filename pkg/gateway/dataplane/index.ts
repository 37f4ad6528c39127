/** The built-in gateway data plane (docs/gateway-dataplane.md). */
export { type DataPlane, type DataPlaneOptions, type DataPlaneStats, startDataPlane } from './dataplane.ts';
export { XdsConfigError } from './config/config-error.ts';
export type { ClusterStats } from './upstream/active-cluster.ts';
export type { ListenerInfo } from './proxy/listener-manager.ts';
export type { AdsStatus } from './xds/ads-client.ts';
