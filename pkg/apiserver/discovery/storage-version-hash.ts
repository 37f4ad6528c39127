import { createHash } from 'node:crypto';

/**
 * `storageVersionHash` of discovery: base64 of the first 8 bytes of sha256("<group>/<version>/<kind>")
 * of the storage version (apiserver `discovery.StorageVersionHash`; the core group is "", so Pod
 * gives "xPOwRZ+Yhw8="). Clients only compare it for equality to notice storage migrations.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}
