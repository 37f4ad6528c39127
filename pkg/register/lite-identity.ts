import type { V1PolicyRule } from '@kubernetes/client-node';

/** Every lite agent's certificate carries this group (O=); cluster-wide node rights are bound to it. */
export const LITE_GROUP = 'kuscia:lites';

/** The user (CN=) of a lite's agent certificate; its namespace rights are bound to this user only. */
export function liteUserName(domainID: string): string {
  return `kuscia:lite:${domainID}`;
}

export const LITE_NODE_CLUSTER_ROLE = 'kuscia:lite-node';
export const LITE_LEASE_ROLE = 'kuscia:lite-lease';
export const LITE_AGENT_ROLE = 'kuscia:lite-agent';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** Cluster-wide: its Node and the Node's status (a lite registers, updates and deletes its node). */
export const LITE_NODE_RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['get', 'update', 'patch'] },
];

/** In kube-node-lease: the node heartbeat Lease. */
export const LITE_LEASE_RULES: V1PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
];

/** In the lite's own domain namespace: run the pods bound to it and read their inputs. */
export const LITE_AGENT_RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['update', 'patch'] },
  { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  // The domain gateway: its routes' tokens, the services it serves, its own Gateway object.
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['kuscia.secretflow'], resources: ['domainroutes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['kuscia.secretflow'], resources: ['domainroutes/status'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['kuscia.secretflow'], resources: ['gateways'], verbs: ['get', 'list', 'watch', 'create'] },
  { apiGroups: ['kuscia.secretflow'], resources: ['gateways/status'], verbs: ['get', 'update', 'patch'] },
];
