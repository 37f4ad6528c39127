import protobuf from 'protobufjs';
import type { DecodedResource } from './resource-applier.ts';

/**
 * A resource whose body is decoded only when used. A state-of-the-world response repeats every
 * resource of a type (both route tables for one changed token, 727 kB at 1,000 peers); the applier
 * keeps what did not change by comparing bytes, so the unchanged ones are never decoded. Their name
 * is read from the first field (name is field 1 of Listener, RouteConfiguration, Cluster and
 * ClusterLoadAssignment, and encoders write fields in order).
 */
export function lazyResource(bytes: Uint8Array, decode: () => Record<string, unknown>): DecodedResource {
  let body: Record<string, unknown> | undefined;
  const name = firstFieldString(bytes);
  return {
    bytes,
    ...(name !== undefined ? { name } : {}),
    get body() {
      return (body ??= decode()) as DecodedResource['body'];
    },
  };
}

/** Field 1 when it is the first field on the wire and length-delimited; undefined otherwise. */
export function firstFieldString(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  try {
    const reader = protobuf.Reader.create(bytes);
    const tag = reader.uint32();
    return tag >>> 3 === 1 && (tag & 7) === 2 ? reader.string() : undefined;
  } catch {
    return undefined;
  }
}
