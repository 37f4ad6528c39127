import type { V1Container } from '@kubernetes/client-node';
import { parseQuantity } from '../../controllers/common/quantity.ts';
import type { Pod, Wire } from '../../kube/wire.ts';

type Container = Wire<V1Container>;

/** The pod's network identity: RunP pods share the host network, so both are the node's address. */
export interface PodAddresses {
  podIP: string;
  hostIP: string;
}

export class UnsupportedFieldError extends Error {
  constructor(path: string) {
    super(`unsupported fieldPath: ${path}`);
    this.name = 'UnsupportedFieldError';
  }
}

/**
 * The value of a downward-API `fieldRef` (the kubelet's podFieldSelectorRuntimeValue plus
 * ExtractFieldPathAsString): the pod's own metadata, its node and its addresses.
 */
export function podFieldValue(pod: Pod, fieldPath: string, addresses: PodAddresses): string {
  const meta = pod.metadata ?? {};
  const subscript = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (subscript) return (subscript[1] === 'labels' ? meta.labels : meta.annotations)?.[subscript[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return addresses.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return addresses.hostIP;
    default:
      throw new UnsupportedFieldError(fieldPath);
  }
}

/** `key="value"` lines sorted by key, as the downward API renders a whole label or annotation map. */
function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map![k])}`)
    .join('\n');
}

/**
 * A `resourceFieldRef`: the container's limit or request divided by `divisor` and rounded up; an
 * unset limit is the node's allocatable, as the kubelet reports it.
 */
export function containerResourceValue(container: Container, resource: string, divisor: string | undefined, allocatable: Record<string, string>): string {
  const [kind, name] = resource.split('.', 2) as [string, string | undefined];
  if (!name || (kind !== 'limits' && kind !== 'requests')) throw new UnsupportedFieldError(resource);
  const own = (kind === 'limits' ? container.resources?.limits : container.resources?.requests)?.[name];
  const fallback = kind === 'limits' ? allocatable[name] : (container.resources?.limits?.[name] ?? (name === 'cpu' || name === 'memory' ? '0' : undefined));
  const raw = own ?? fallback ?? '0';
  const value = parseQuantity(String(raw)).nanos;
  const by = parseQuantity(divisor ?? '1').nanos;
  if (by <= 0n) return '0';
  return String((value + by - 1n) / by);
}
