/** DiscoveryRequest / DiscoveryResponse as proto-loader gives and takes them (camelCase). */

/**
 * `google.protobuf.Any` through proto-loader: protobufjs' built-in definition of Any keeps the
 * field name `type_url` even with keepCase false.
 */
export interface AnyMessage {
  type_url: string;
  value: Buffer;
}

export interface DiscoveryResponse {
  versionInfo?: string;
  resources?: AnyMessage[];
  typeUrl?: string;
  nonce?: string;
}

export interface DiscoveryRequest {
  versionInfo: string;
  node: { id: string; cluster: string; userAgentName: string; userAgentVersion: string };
  resourceNames: string[];
  typeUrl: string;
  responseNonce: string;
  errorDetail?: { code: number; message: string };
}

/** `envoy.service.discovery.v3.Resource`: servers may wrap SotW resources in it. */
export const RESOURCE_WRAPPER_TYPE = 'type.googleapis.com/envoy.service.discovery.v3.Resource';

/** google.rpc.Code INVALID_ARGUMENT, the code of a NACK's error_detail. */
export const INVALID_ARGUMENT = 3;
