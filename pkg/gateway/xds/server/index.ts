/** The gateway's xDS control plane (ADS, state of the world and delta): what the rest of the project uses. */
export { startXdsServer, type XdsServer, type XdsServerOptions } from './xds-server.ts';
export { FALLBACK_NODE_GROUP, type SnapshotInput } from './snapshot-cache.ts';
export { buildSnapshot, XdsSnapshotError, type EncodedXdsResource, type Snapshot } from './snapshot.ts';
export { DEFAULT_DEBOUNCE, type DebounceOptions } from './debouncer.ts';
export { loadAdsService, ADS_SERVICE_NAME, type AdsService } from './ads-service.ts';
export type { XdsNode } from './discovery-messages.ts';
export type { XdsAckEvent, XdsNackEvent, XdsPushEvent, XdsServerObserver, XdsStreamInfo, XdsStreamStatus, XdsTypeCounters, XdsTypeStatus, XdsVariant } from './xds-events.ts';
export { grpcShapedResources, type GrpcBackend, type GrpcShapedOptions } from './grpc-shaped-resources.ts';
