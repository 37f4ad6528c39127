/**
 * The ADS messages as proto-loader hands them over and takes them back (ads-service.ts options:
 * camelCase, defaults filled in, Any as raw bytes). Only the fields this server reads or writes.
 */

/**
 * `google.protobuf.Any` with its bytes untouched. Its field is `type_url` even with camelCase
 * options: proto-loader's protobufjs defines google.protobuf.Any from its built-in descriptors,
 * which keep the proto field name.
 */
export interface AnyBytes {
  type_url: string;
  value: Buffer;
}

/** The part of `envoy.config.core.v3.Node` the server uses to pick a snapshot. */
export interface XdsNode {
  id: string;
  cluster: string;
}

/** `google.rpc.Status` in a NACK. */
export interface ErrorDetail {
  code: number;
  message: string;
}

export interface DiscoveryRequest {
  versionInfo: string;
  node: XdsNode | null;
  resourceNames: string[];
  typeUrl: string;
  responseNonce: string;
  errorDetail: ErrorDetail | null;
}

export interface DiscoveryResponse {
  versionInfo: string;
  resources: AnyBytes[];
  typeUrl: string;
  nonce: string;
}

export interface DeltaDiscoveryRequest {
  node: XdsNode | null;
  typeUrl: string;
  resourceNamesSubscribe: string[];
  resourceNamesUnsubscribe: string[];
  initialResourceVersions: Record<string, string>;
  responseNonce: string;
  errorDetail: ErrorDetail | null;
}

/** `envoy.service.discovery.v3.Resource` in a delta response. */
export interface DeltaResource {
  name: string;
  version: string;
  resource: AnyBytes;
}

export interface DeltaDiscoveryResponse {
  systemVersionInfo: string;
  resources: DeltaResource[];
  typeUrl: string;
  removedResources: string[];
  nonce: string;
}
