import { isIP } from 'node:net';
import { normaliseSan } from './certificate.ts';

export interface ServingSanOptions {
  /** The address the API server listens on. Wildcards (0.0.0.0, ::) name no host and are skipped. */
  bindAddress: string;
  /** Extra DNS names or IPs clients use to reach the server (node IP, public name, hostname...). */
  extraSans?: string[];
}

/**
 * Names the serving certificate must cover: loopback in both families, `localhost`, the in-cluster
 * `kubernetes.default.svc` names (pods reach the API through them on a real cluster, and K3s puts
 * them in its serving certificate too), the bind address and whatever the operator adds.
 * Sorted and de-duplicated so a change is detected by comparing lists.
 */
export function servingSans(opts: ServingSanOptions): string[] {
  const names = [
    'localhost',
    '127.0.0.1',
    '::1',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    ...(isWildcard(opts.bindAddress) ? [] : [stripBrackets(opts.bindAddress)]),
    ...(opts.extraSans ?? []).map(stripBrackets),
  ].filter((n) => n.length > 0);
  return [...new Set(names.map(normaliseSan))].sort();
}

function isWildcard(address: string): boolean {
  const a = stripBrackets(address);
  return a === '' || (isIP(a) !== 0 && (a === '0.0.0.0' || normaliseSan(a) === '::'));
}

function stripBrackets(value: string): string {
  const v = value.trim();
  return v.startsWith('[') && v.endsWith(']') ? v.slice(1, -1) : v;
}
