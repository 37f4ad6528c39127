import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { makeGenericClientConstructor, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { load } from '@grpc/proto-loader';

const ADS_SERVICE = 'envoy.service.discovery.v3.AggregatedDiscoveryService';

/**
 * The ADS client constructor, from Envoy's ads.proto as @grpc/grpc-js-xds ships it (the directories
 * envoy-protos.ts reads). `google.protobuf.Any` stays `{ typeUrl, value }` (json: false): resources
 * are decoded with EnvoyProtos, the one schema the project checks everything against.
 */
export async function loadAdsClientConstructor(): Promise<ServiceClientConstructor> {
  const require = createRequire(import.meta.url);
  const deps = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const definition = await load('envoy/service/discovery/v3/ads.proto', {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
    json: false,
    includeDirs: ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(deps, d)),
  });
  return makeGenericClientConstructor(definition[ADS_SERVICE] as ServiceDefinition, 'AggregatedDiscoveryService');
}
