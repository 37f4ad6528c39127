import type { EnvoyProtos, XdsResource } from './envoy-protos.ts';
import type { EncodedXdsResource } from './server/index.ts';

/**
 * Encoded bytes of resources by their content, across rebuilds of one gateway's configuration: a
 * change touches one or two resources, but every rebuild produces all of them (1,047 at 1,000
 * peers, 50 ms to encode). The key is the body's JSON text — cheaper than protobuf encoding and
 * exact (builders are deterministic). Entries a rebuild did not use are dropped.
 */
export class EncodeCache {
  #entries = new Map<string, Uint8Array>();
  #used = new Map<string, Uint8Array>();

  encode(protos: EnvoyProtos, resource: XdsResource): EncodedXdsResource {
    const key = `${resource.typeUrl}\0${JSON.stringify(resource.body)}`;
    let value = this.#used.get(key) ?? this.#entries.get(key);
    if (value === undefined) value = protos.encode(resource);
    this.#used.set(key, value);
    return { typeUrl: resource.typeUrl, name: resource.name, value };
  }

  /** Ends a rebuild: what it did not use is forgotten. */
  sweep(): void {
    this.#entries = this.#used;
    this.#used = new Map();
  }
}
