import { apiErrors } from '../api/errors.ts';
import { fieldErrors } from '../api/field-error.ts';
import type { KubeObject } from '../api/object.ts';
import type { Store } from '../storage/types.ts';
import { serviceNeedsClusterIP } from '../builtin/kinds/services.ts';

/** K3s's default service CIDR, which Kuscia's embedded K3s uses. */
export const DEFAULT_SERVICE_CIDR = '10.43.0.0/16';

/**
 * Hands out Service cluster IPs from the service CIDR like kube-apiserver's allocator: the first
 * address is the `kubernetes` service's, a requested address must be in range and free, and the
 * set of used addresses is read from the stored services (so it survives restarts by design).
 */
export class ClusterIpAllocator {
  private readonly store: Store;
  private readonly servicesPrefix: string;
  private readonly base: number;
  private readonly size: number;
  private next = 0;

  constructor(store: Store, servicesPrefix: string, cidr = DEFAULT_SERVICE_CIDR) {
    this.store = store;
    this.servicesPrefix = servicesPrefix;
    const [ip, bits] = cidr.split('/');
    this.base = ipToInt(ip);
    this.size = 2 ** (32 - Number(bits));
  }

  /** Fills spec.clusterIP/clusterIPs, ipFamilies and ipFamilyPolicy of a new service. */
  allocate(service: KubeObject): void {
    if (!serviceNeedsClusterIP(service)) return;
    const spec = (service['spec'] ??= {}) as Record<string, unknown>;
    const used = this.usedAddresses();
    const name = service.metadata.name ?? '';
    let ip = typeof spec['clusterIP'] === 'string' && spec['clusterIP'] !== '' ? (spec['clusterIP'] as string) : undefined;
    if (ip) {
      const n = ipToIntOrNaN(ip);
      const offset = n - this.base;
      if (Number.isNaN(n) || offset <= 0 || offset >= this.size - 1) {
        throw apiErrors.invalid({ group: '', resource: 'services', kind: 'Service' }, name, [
          fieldErrors.invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is not in the valid range. The range of valid IPs is ${intToIp(this.base)}/${32 - Math.log2(this.size)}`),
        ]);
      }
      if (used.has(ip)) {
        throw apiErrors.invalid({ group: '', resource: 'services', kind: 'Service' }, name, [
          fieldErrors.invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`),
        ]);
      }
    } else {
      ip = this.pickFree(used);
    }
    spec['clusterIP'] = ip;
    spec['clusterIPs'] = [ip];
    spec['ipFamilies'] ??= ['IPv4'];
    spec['ipFamilyPolicy'] ??= 'SingleStack';
    spec['internalTrafficPolicy'] ??= 'Cluster';
  }

  private pickFree(used: Set<string>): string {
    // Offset 0 is the network address, offset 1 is reserved for the kubernetes service, the last is broadcast.
    for (let i = 0; i < this.size - 3; i++) {
      const offset = 2 + ((this.next + i) % (this.size - 3));
      const candidate = intToIp(this.base + offset);
      if (!used.has(candidate)) {
        this.next = offset - 1;
        return candidate;
      }
    }
    throw apiErrors.internal('failed to allocate a serviceIP: range is full');
  }

  private usedAddresses(): Set<string> {
    const used = new Set<string>();
    for (const entry of this.store.list(this.servicesPrefix).items) {
      const spec = (JSON.parse(entry.value) as { spec?: { clusterIPs?: string[]; clusterIP?: string } }).spec;
      for (const ip of spec?.clusterIPs ?? (spec?.clusterIP ? [spec.clusterIP] : [])) used.add(ip);
    }
    return used;
  }
}

function ipToIntOrNaN(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return Number.NaN;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function ipToInt(ip: string): number {
  const n = ipToIntOrNaN(ip);
  if (Number.isNaN(n)) throw new Error(`invalid IPv4 address in service CIDR: ${ip}`);
  return n;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
