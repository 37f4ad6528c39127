import { DomainRole, type Domain } from '../../crd/index.ts';

/** What auth init grants a domain's ServiceAccount `<domain>` (Kuscia's createOrUpdateAuth). */
export interface AuthPlan {
  /** ServiceAccount `<domain>` and RoleBinding `<domain>` → Role `<domain>` in its namespace. */
  namespaceAccess: boolean;
  /** ClusterRoleBinding `<domain>` → ClusterRole domain-cluster-res: the lite's agent registers Nodes here. */
  clusterAccess: boolean;
}

/**
 * Three cases, as in Kuscia:
 * - a partner speaking the kuscia protocol whose master is itself (or unset): a peer control plane in
 *   P2P; it calls our API as `<domain>`, so it gets namespace access;
 * - a partner speaking kuscia that is a lite of another master: nothing here, its master serves it;
 * - everything else (our own lites, and partners on other protocols): namespace and cluster access.
 */
export function authPlanFor(domain: Domain): AuthPlan {
  const name = domain.metadata.name ?? '';
  const spec = domain.spec ?? {};
  if (spec.role === DomainRole.Partner && spec.interConnProtocols?.[0] === 'kuscia') {
    const ownMaster = !spec.master || spec.master === name;
    return { namespaceAccess: ownMaster, clusterAccess: false };
  }
  return { namespaceAccess: true, clusterAccess: true };
}

export function isPartner(domain: Domain): boolean {
  return domain.spec?.role === DomainRole.Partner;
}
