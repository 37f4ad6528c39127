import { accessSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import protobuf from 'protobufjs';

/**
 * Envoy's v3 API, loaded from the .proto files `@grpc/grpc-js-xds` ships (reference platform.md):
 * the one schema every xDS resource this project builds, serves or consumes is checked against.
 * Resources are written as protobufjs "fromObject" objects: camelCase field names, enums by name,
 * `google.protobuf.Any` as `{ '@type': 'type.googleapis.com/<message>', ...fields }`.
 */

/** The resource types of the gateway's ADS stream. */
export const TypeUrl = {
  Listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  RouteConfiguration: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  Cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  ClusterLoadAssignment: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
} as const;
export type XdsTypeUrl = (typeof TypeUrl)[keyof typeof TypeUrl];

/** Make-before-break order of a push (CDS → EDS → LDS → RDS), anchors §3.1. */
export const PUSH_ORDER: readonly XdsTypeUrl[] = [TypeUrl.Cluster, TypeUrl.ClusterLoadAssignment, TypeUrl.Listener, TypeUrl.RouteConfiguration];

/** One named xDS resource, before encoding. */
export interface XdsResource {
  typeUrl: XdsTypeUrl;
  name: string;
  /** The message as a protobufjs fromObject object (see the file comment). */
  body: Record<string, unknown>;
}

/** The files whose messages the gateway uses; their imports are loaded with them. */
const PROTO_FILES = [
  'envoy/service/discovery/v3/ads.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/filters/http/rbac/v3/rbac.proto',
  'envoy/extensions/filters/http/grpc_http1_bridge/v3/config.proto',
  'envoy/extensions/filters/http/grpc_http1_reverse_bridge/v3/config.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
];

export interface EnvoyProtos {
  root: protobuf.Root;
  /** The message type behind a type URL (`type.googleapis.com/<full name>`). */
  type(typeUrl: string): protobuf.Type;
  /**
   * Encodes a resource. protobufjs' fromObject drops fields the schema does not have, so builders
   * are checked by round trips in their tests (encode → decode → the same object).
   */
  encode(resource: Pick<XdsResource, 'typeUrl' | 'body'>): Uint8Array;
  /** Decodes bytes of a type back into the fromObject shape (Any expanded with '@type'). */
  decode(typeUrl: string, bytes: Uint8Array): Record<string, unknown>;
  /** The resource as a `google.protobuf.Any` for a DiscoveryResponse. */
  toAny(resource: Pick<XdsResource, 'typeUrl' | 'body'>): { typeUrl: string; value: Buffer };
}

/** Where the bundled protos live: Envoy's API, xds, googleapis, validate, and protobufjs' own google/protobuf. */
function protoDirs(): string[] {
  const require = createRequire(import.meta.url);
  const xdsDeps = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const protobufjsDir = dirname(require.resolve('protobufjs/package.json'));
  return [...['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(xdsDeps, d)), protobufjsDir];
}

/** Loads the schema (~120 ms); callers keep the result and pass it on. */
export async function loadEnvoyProtos(): Promise<EnvoyProtos> {
  const dirs = protoDirs();
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    if (isAbsolute(target)) return target;
    for (const dir of dirs) {
      const candidate = join(dir, target);
      try {
        accessSync(candidate);
        return candidate;
      } catch {
        // not in this directory
      }
    }
    return target;
  };
  await root.load(PROTO_FILES, { keepCase: false });
  root.resolveAll();
  const types = new Map<string, protobuf.Type>();
  const type = (typeUrl: string): protobuf.Type => {
    let t = types.get(typeUrl);
    if (!t) {
      t = root.lookupType(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
      types.set(typeUrl, t);
    }
    return t;
  };
  const encode = (resource: Pick<XdsResource, 'typeUrl' | 'body'>): Uint8Array => {
    const t = type(resource.typeUrl);
    return t.encode(t.fromObject(resource.body)).finish();
  };
  return {
    root,
    type,
    encode,
    decode: (typeUrl, bytes) => type(typeUrl).toObject(type(typeUrl).decode(bytes), { enums: String, longs: Number, json: true, defaults: false }) as Record<string, unknown>,
    toAny: (resource) => ({ typeUrl: resource.typeUrl, value: Buffer.from(encode(resource)) }),
  };
}
