/** The gateway's Envoy v3 resources, built from its state (DomainRoutes, Services) by pure functions. */
export { buildGatewayResources, type GatewayResources } from './build.ts';
export type { SkippedInput } from './usable-inputs.ts';
export * from './gateway-state.ts';
export { ClusterName, Header, ListenerName, RouteConfigName, handshakeHost, peerClusterName, serviceClusterName, isPeerClusterName } from './names.ts';
export { ACCEPTED_TOKEN_REVISIONS } from './rbac.ts';
export { NOOP_TOKEN } from './outbound-virtual-host.ts';
