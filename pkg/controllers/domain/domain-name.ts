import { CROSS_DOMAIN_NAMESPACE } from '../../crd/index.ts';
import { isDNS1123Label } from '../../apiserver/validation/name-validators.ts';

/**
 * Domain IDs Kuscia refuses: `master` names the master's own domain in every lite's routes, and the
 * others are namespaces that already mean something on the cluster.
 */
export const RESERVED_DOMAIN_NAMES: readonly string[] = ['master', 'default', 'kube-system', 'kube-public', 'kube-node-lease', CROSS_DOMAIN_NAMESPACE];

/**
 * Why a Domain of this name must not get a namespace (undefined when it may). A Domain is a
 * cluster-scoped custom resource, so the API server accepts any DNS subdomain as its name; its
 * namespace needs an RFC 1123 label.
 */
export function invalidDomainNameMessage(name: string): string | undefined {
  if (RESERVED_DOMAIN_NAMES.includes(name)) {
    return `domain name "${name}" is reserved: ${RESERVED_DOMAIN_NAMES.join(', ')} cannot be domain IDs`;
  }
  const errs = isDNS1123Label(name);
  if (errs.length > 0) return `domain name "${name}" is not a valid RFC 1123 label: ${errs.join('; ')}`;
  return undefined;
}
