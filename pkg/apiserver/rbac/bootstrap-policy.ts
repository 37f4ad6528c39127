import { RBAC_GROUP, type AggregationRule, type PolicyRule, type Subject } from './types.ts';

/**
 * kube-apiserver's bootstrap RBAC policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), for
 * the resources this server serves. Every object carries the bootstrapping label and the
 * autoupdate annotation, as in Kubernetes. Kuscia's CRDs are not aggregated into admin/edit/view
 * (Kubernetes aggregates no custom resources by default either).
 */
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
export const BOOTSTRAPPING_LABEL = 'kubernetes.io/bootstrapping';
export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

export interface BootstrapClusterRole {
  name: string;
  labels?: Record<string, string>;
  rules?: PolicyRule[];
  aggregationRule?: AggregationRule;
}

export interface BootstrapClusterRoleBinding {
  name: string;
  roleName: string;
  subjects: Subject[];
}

const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const readWrite = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ apiGroups, resources, verbs });
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ nonResourceURLs, verbs });
const aggregate = (label: string): AggregationRule => ({ clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] });
const group = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'Group', name });

export const bootstrapClusterRoles: BootstrapClusterRole[] = [
  {
    name: 'cluster-admin',
    rules: [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])],
  },
  { name: 'admin', aggregationRule: aggregate(AGGREGATE_TO_ADMIN) },
  { name: 'edit', labels: { [AGGREGATE_TO_ADMIN]: 'true' }, aggregationRule: aggregate(AGGREGATE_TO_EDIT) },
  { name: 'view', labels: { [AGGREGATE_TO_EDIT]: 'true' }, aggregationRule: aggregate(AGGREGATE_TO_VIEW) },
  {
    name: 'system:aggregate-to-admin',
    labels: { [AGGREGATE_TO_ADMIN]: 'true' },
    rules: [rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']), rule(readWrite, [RBAC_GROUP], ['rolebindings', 'roles'])],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: { [AGGREGATE_TO_EDIT]: 'true' },
    rules: [
      rule(read, [''], ['secrets']),
      rule(write, [''], ['pods']),
      rule(write, [''], ['configmaps', 'events', 'secrets', 'serviceaccounts', 'services']),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(write, ['apps'], ['deployments', 'deployments/scale']),
      rule(readWrite, ['coordination.k8s.io'], ['leases']),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: { [AGGREGATE_TO_VIEW]: 'true' },
    rules: [
      rule(read, [''], ['configmaps', 'endpoints', 'pods', 'serviceaccounts', 'services', 'services/status']),
      rule(read, [''], ['events', 'namespaces/status', 'pods/log', 'pods/status', 'resourcequotas', 'resourcequotas/status']),
      rule(read, [''], ['namespaces']),
      rule(read, ['apps'], ['deployments', 'deployments/scale', 'deployments/status']),
    ],
  },
  {
    name: 'system:discovery',
    rules: [urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])],
  },
  {
    name: 'system:basic-user',
    rules: [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ],
  },
  {
    name: 'system:public-info-viewer',
    rules: [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])],
  },
  {
    name: 'system:monitoring',
    rules: [urls(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'])],
  },
];

export const bootstrapClusterRoleBindings: BootstrapClusterRoleBinding[] = [
  { name: 'cluster-admin', roleName: 'cluster-admin', subjects: [group('system:masters')] },
  { name: 'system:basic-user', roleName: 'system:basic-user', subjects: [group('system:authenticated')] },
  { name: 'system:discovery', roleName: 'system:discovery', subjects: [group('system:authenticated')] },
  { name: 'system:monitoring', roleName: 'system:monitoring', subjects: [group('system:monitoring')] },
  { name: 'system:public-info-viewer', roleName: 'system:public-info-viewer', subjects: [group('system:authenticated'), group('system:unauthenticated')] },
];
