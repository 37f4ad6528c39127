import { isDeepStrictEqual } from 'node:util';
import type { Domain } from '../../crd/index.ts';
import type { ClusterRoleBinding, ConfigMap, ResourceQuota, Role, RoleBinding } from '../../kube/wire.ts';
import { canonicalQuantity } from '../common/quantity.ts';
import type { ClusterRole, ServiceAccount } from './domain-informers.ts';
import { adoptedMeta, domainLabel, domainOwnerReference, hasDomainLabel, ownedBy } from './ownership.ts';
import { DOMAIN_CLUSTER_ROLE, DOMAIN_CLUSTER_RULES, DOMAIN_NAMESPACE_RULES } from './rbac-rules.ts';

/** Names Kuscia gives a domain's objects (Go: resourceQuotaName, domainConfigName). */
export const RESOURCE_QUOTA_NAME = 'resource-limitation';
export const DOMAIN_CONFIG_NAME = 'domain-config';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * Builders for everything the Domain controller keeps in a domain's namespace (and the cluster):
 * `desired` for a create, `update` (for ensureObject) for what an existing object lacks.
 */
function ownedMeta(domain: Domain, name: string, namespace?: string) {
  return { name, ...(namespace ? { namespace } : {}), labels: domainLabel(domain), ownerReferences: [domainOwnerReference(domain)] };
}

const nameOf = (d: Domain) => d.metadata.name ?? '';

export const domainRole = {
  desired: (d: Domain): Role => ({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata: ownedMeta(d, nameOf(d), nameOf(d)), rules: DOMAIN_NAMESPACE_RULES }),
  update: (d: Domain) => (existing: Role): Role | undefined =>
    ownedBy(existing.metadata, d) && isDeepStrictEqual(existing.rules ?? [], DOMAIN_NAMESPACE_RULES)
      ? undefined
      : { ...existing, metadata: adoptedMeta(existing.metadata, d), rules: DOMAIN_NAMESPACE_RULES },
};

export const domainServiceAccount = {
  desired: (d: Domain): ServiceAccount => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: ownedMeta(d, nameOf(d), nameOf(d)) }),
  update: (d: Domain) => (existing: ServiceAccount): ServiceAccount | undefined =>
    ownedBy(existing.metadata, d) ? undefined : { ...existing, metadata: adoptedMeta(existing.metadata, d) },
};

/**
 * Written as the API server stores it: RBAC defaulting gives a ServiceAccount subject apiGroup "".
 * Without it the comparison below never matches what comes back, and every reconcile PUTs again.
 */
function serviceAccountSubject(d: Domain) {
  return [{ kind: 'ServiceAccount', apiGroup: '', name: nameOf(d), namespace: nameOf(d) }];
}

/** roleRef is immutable in Kubernetes: a binding of ours pointing elsewhere cannot be fixed by an update. */
function checkRoleRef(kind: string, existing: { metadata?: { name?: string; namespace?: string }; roleRef: { kind: string; name: string } }, want: { kind: string; name: string }): void {
  if (existing.roleRef.kind !== want.kind || existing.roleRef.name !== want.name) {
    const where = existing.metadata?.namespace ? `${existing.metadata.namespace}/` : '';
    throw new Error(`${kind} ${where}${existing.metadata?.name} refers to ${existing.roleRef.kind} ${existing.roleRef.name}, not ${want.kind} ${want.name}; roleRef is immutable, delete the binding so it can be re-created`);
  }
}

export const domainRoleBinding = {
  desired: (d: Domain): RoleBinding => ({
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: ownedMeta(d, nameOf(d), nameOf(d)),
    subjects: serviceAccountSubject(d),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: nameOf(d) },
  }),
  update: (d: Domain) => (existing: RoleBinding): RoleBinding | undefined => {
    checkRoleRef('RoleBinding', existing, { kind: 'Role', name: nameOf(d) });
    return ownedBy(existing.metadata, d) && isDeepStrictEqual(existing.subjects ?? [], serviceAccountSubject(d))
      ? undefined
      : { ...existing, metadata: adoptedMeta(existing.metadata, d), subjects: serviceAccountSubject(d) };
  },
};

export const domainClusterRoleBinding = {
  desired: (d: Domain): ClusterRoleBinding => ({
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: ownedMeta(d, nameOf(d)),
    subjects: serviceAccountSubject(d),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: DOMAIN_CLUSTER_ROLE },
  }),
  update: (d: Domain) => (existing: ClusterRoleBinding): ClusterRoleBinding | undefined => {
    checkRoleRef('ClusterRoleBinding', existing, { kind: 'ClusterRole', name: DOMAIN_CLUSTER_ROLE });
    return ownedBy(existing.metadata, d) && isDeepStrictEqual(existing.subjects ?? [], serviceAccountSubject(d))
      ? undefined
      : { ...existing, metadata: adoptedMeta(existing.metadata, d), subjects: serviceAccountSubject(d) };
  },
};

/** Shared by every lite: no owner, no domain label. */
export const domainClusterRole = {
  desired: (): ClusterRole => ({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name: DOMAIN_CLUSTER_ROLE }, rules: DOMAIN_CLUSTER_RULES }),
  update: (existing: ClusterRole): ClusterRole | undefined => (isDeepStrictEqual(existing.rules ?? [], DOMAIN_CLUSTER_RULES) ? undefined : { ...existing, rules: DOMAIN_CLUSTER_RULES }),
};

/**
 * The ConfManager's key-value store. Never owned by the Domain and never rewritten: its data must
 * survive the Domain being deleted and re-created. An existing one only gets our label.
 */
export const domainConfigMap = {
  desired: (d: Domain): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: DOMAIN_CONFIG_NAME, namespace: nameOf(d), labels: domainLabel(d) }, data: {} }),
  update: (d: Domain) => (existing: ConfigMap): ConfigMap | undefined =>
    hasDomainLabel(existing.metadata, d) ? undefined : { ...existing, metadata: { ...existing.metadata, labels: { ...existing.metadata?.labels, ...domainLabel(d) } } },
};

/** ResourceQuota `resource-limitation`: `pods` = spec.resourceQuota.podMaxCount (not owned, as in Kuscia). */
export const domainResourceQuota = {
  desired: (d: Domain, podMaxCount: number): ResourceQuota => ({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: RESOURCE_QUOTA_NAME, namespace: nameOf(d), labels: domainLabel(d) },
    spec: { hard: { pods: String(podMaxCount) } },
  }),
  update: (d: Domain, podMaxCount: number) => (existing: ResourceQuota): ResourceQuota | undefined => {
    const hard = existing.spec?.hard ?? {};
    const matches = Object.keys(hard).length === 1 && hard['pods'] !== undefined && canonicalQuantity(hard['pods']) === canonicalQuantity(podMaxCount);
    const labelled = hasDomainLabel(existing.metadata, d);
    if (matches && labelled) return undefined;
    return { ...existing, metadata: { ...existing.metadata, labels: { ...existing.metadata?.labels, ...domainLabel(d) } }, spec: { ...existing.spec, hard: { pods: String(podMaxCount) } } };
  },
};
