import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { load, type PackageDefinition } from '@grpc/proto-loader';

/** The gRPC service both ADS variants are served on (and that gRPC clients, Envoy included, call). */
export const ADS_SERVICE_NAME = 'envoy.service.discovery.v3.AggregatedDiscoveryService';

export interface AdsService {
  /** proto-loader's package definition; a test client builds its stub from the same one. */
  packageDefinition: PackageDefinition;
  /** The service's methods: StreamAggregatedResources and DeltaAggregatedResources. */
  definition: ServiceDefinition;
}

/**
 * Loads Envoy's ads.proto with @grpc/proto-loader from the protos @grpc/grpc-js-xds ships (the same
 * directories envoy-protos.ts uses). Messages come out camelCased with defaults filled in, and
 * `google.protobuf.Any` stays `{ typeUrl, value: Buffer }` (json: false): the server forwards the
 * bytes EnvoyProtos.toAny produced and never re-interprets a resource.
 */
export async function loadAdsService(): Promise<AdsService> {
  const require = createRequire(import.meta.url);
  const deps = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const packageDefinition = await load('envoy/service/discovery/v3/ads.proto', {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    json: false,
    includeDirs: ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(deps, d)),
  });
  return { packageDefinition, definition: packageDefinition[ADS_SERVICE_NAME] as ServiceDefinition };
}
