import type { KubeApi } from '../kube/api-client.ts';
import { createOrReplace } from '../modules/master/apply-object.ts';
import {
  LITE_AGENT_ROLE,
  LITE_AGENT_RULES,
  LITE_GROUP,
  LITE_LEASE_ROLE,
  LITE_LEASE_RULES,
  LITE_NODE_CLUSTER_ROLE,
  LITE_NODE_RULES,
  liteUserName,
  NODE_LEASE_NAMESPACE,
} from './lite-identity.ts';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const roleRef = (kind: 'Role' | 'ClusterRole', name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

/** The cluster-wide part, shared by every lite: nodes (+status) and node Leases, bound to the lite group. */
export async function ensureLiteClusterRbac(api: KubeApi): Promise<void> {
  const group = [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: LITE_GROUP }];
  await createOrReplace(api, `${RBAC}/clusterroles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: LITE_NODE_CLUSTER_ROLE }, rules: LITE_NODE_RULES });
  await createOrReplace(api, `${RBAC}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: LITE_NODE_CLUSTER_ROLE },
    roleRef: roleRef('ClusterRole', LITE_NODE_CLUSTER_ROLE),
    subjects: group,
  });
  const ns = `${RBAC}/namespaces/${NODE_LEASE_NAMESPACE}`;
  await createOrReplace(api, `${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: LITE_LEASE_ROLE, namespace: NODE_LEASE_NAMESPACE }, rules: LITE_LEASE_RULES });
  await createOrReplace(api, `${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: LITE_LEASE_ROLE, namespace: NODE_LEASE_NAMESPACE },
    roleRef: roleRef('Role', LITE_LEASE_ROLE),
    subjects: group,
  });
}

/** The domain part: pods, their status, inputs and events in the lite's own namespace, for its user only. */
export async function ensureLiteDomainRbac(api: KubeApi, domainID: string): Promise<void> {
  const ns = `${RBAC}/namespaces/${encodeURIComponent(domainID)}`;
  await createOrReplace(api, `${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: LITE_AGENT_ROLE, namespace: domainID }, rules: LITE_AGENT_RULES });
  await createOrReplace(api, `${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: LITE_AGENT_ROLE, namespace: domainID },
    roleRef: roleRef('Role', LITE_AGENT_ROLE),
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: liteUserName(domainID) }],
  });
}
