import type { ResourceAmounts } from '../agent/agent-options.ts';
import { parseQuantity } from '../controllers/common/quantity.ts';
import type { FieldReader } from './field-readers.ts';

/**
 * `capacity` / `reservedResources`: Kubernetes quantities ("4", "500m", "8Gi"); bandwidth in Mbps.
 * Kuscia's `storage` and `ephemeralStorage` are read and checked but not used yet (no storage
 * accounting in RunP).
 */
export function readResourceAmounts(section: FieldReader, keys: ReadonlyArray<keyof ResourceAmounts | 'storage' | 'ephemeralStorage'>): ResourceAmounts {
  const out: ResourceAmounts = {};
  for (const key of keys) {
    const raw = section.string(key);
    if (raw === undefined || raw === '') continue;
    try {
      if (parseQuantity(raw).nanos < 0n) throw new Error('negative');
    } catch {
      throw section.fail(key, `${JSON.stringify(raw)} is not a non-negative quantity (e.g. 4, 500m, 8Gi)`);
    }
    if (key === 'cpu' || key === 'memory' || key === 'pods' || key === 'bandwidth') out[key] = raw;
  }
  return out;
}
