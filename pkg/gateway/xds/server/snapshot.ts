import { createHash } from 'node:crypto';
import type { EnvoyProtos, XdsResource } from '../envoy-protos.ts';
import type { AnyBytes } from './discovery-messages.ts';

/** A resource somebody already encoded (e.g. a benchmark or a cache of builder output). */
export interface EncodedXdsResource {
  typeUrl: string;
  name: string;
  value: Uint8Array;
}

/** One resource as the server sends it. */
export interface SnapshotResource {
  name: string;
  any: AnyBytes;
  /** A hash of the bytes: equal bytes, equal version (delta's per-resource version). */
  version: string;
}

/** All resources of one type in a snapshot. */
export interface TypeSnapshot {
  /** A hash of the names and resource versions: it changes only when the type's set changes. */
  version: string;
  resources: ReadonlyMap<string, SnapshotResource>;
}

/** The resources of one node group, by type URL; a type not in the map has no resources. */
export type Snapshot = ReadonlyMap<string, TypeSnapshot>;

export class XdsSnapshotError extends Error {
  override readonly name = 'XdsSnapshotError';
}

const EMPTY_TYPE: TypeSnapshot = { version: resourceSetVersion([]), resources: new Map() };

/** The resources of a type in a snapshot, empty when it has none. */
export function typeSnapshot(snapshot: Snapshot, typeUrl: string): TypeSnapshot {
  return snapshot.get(typeUrl) ?? EMPTY_TYPE;
}

/**
 * Encodes resources into a snapshot. Versions are content hashes, so the same configuration gets
 * the same versions after a control-plane restart, and a type whose bytes did not change keeps
 * its version (and is therefore not pushed again).
 */
export function buildSnapshot(protos: EnvoyProtos, resources: Iterable<XdsResource | EncodedXdsResource>): Snapshot {
  const byType = new Map<string, Map<string, SnapshotResource>>();
  for (const resource of resources) {
    const value = asBuffer('value' in resource ? resource.value : protos.encode(resource));
    let named = byType.get(resource.typeUrl);
    if (!named) byType.set(resource.typeUrl, (named = new Map()));
    if (named.has(resource.name)) throw new XdsSnapshotError(`duplicate ${resource.typeUrl} resource "${resource.name}"`);
    named.set(resource.name, { name: resource.name, any: { type_url: resource.typeUrl, value }, version: bytesVersion(value) });
  }
  const snapshot = new Map<string, TypeSnapshot>();
  for (const [typeUrl, named] of byType) {
    snapshot.set(typeUrl, { version: resourceSetVersion(named.values()), resources: named });
  }
  return snapshot;
}

/** The version of a set of resources as a client would hold it (names → resource versions). */
export function resourceSetVersion(entries: Iterable<SnapshotResource>): string {
  return hashOf([...entries].map((r) => `${r.name}\0${r.version}`).sort());
}

/** A Buffer view of the bytes, without copying them. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function bytesVersion(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
}

function hashOf(lines: string[]): string {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return hash.digest('base64url').slice(0, 16);
}
