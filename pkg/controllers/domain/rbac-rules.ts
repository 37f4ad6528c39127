import type { V1PolicyRule } from '@kubernetes/client-node';
import { GROUP } from '../../crd/index.ts';

/**
 * What a domain's own agents and apps may do in its namespace: Kuscia's
 * `etc/conf/domain-namespace-res.yaml`, bound to the ServiceAccount `<domain>`.
 */
export const DOMAIN_NAMESPACE_RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'update', 'get', 'list', 'watch', 'patch'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: [''], resources: ['secrets', 'endpoints', 'namespaces'], verbs: ['get', 'list', 'watch'] },
  // domain-config is the ConfManager's key-value store: the domain writes it.
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch', 'patch', 'update'] },
  { apiGroups: [GROUP], resources: ['*'], verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch', 'update'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'create', 'patch', 'update'] },
];

/** The ClusterRole a lite's node agent needs on the master (nodes, their status, events, leases). */
export const DOMAIN_CLUSTER_ROLE = 'domain-cluster-res';

export const DOMAIN_CLUSTER_RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['create', 'get', 'patch', 'update', 'delete'] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch', 'update'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'delete', 'get', 'patch', 'update'] },
];
