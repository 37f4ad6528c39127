/**
 * Which OpenAPI definitions the built-in kinds need, and how @kubernetes/client-node's model class
 * names map to Kubernetes' definition names (`V1Pod` → `io.k8s.api.core.v1.Pod`).
 *
 * client-node flattens every group into one namespace (`V1Deployment`, `V1Lease`, `V1ObjectMeta`
 * all start with `V1`), so the package of each class has to be spelled out here; everything not
 * listed belongs to core/v1, which is where the bulk of the reachable types (PodSpec, Container,
 * Volume ...) live.
 */

import type { GroupVersionKind } from '../../api/resource-type.ts';

const corePackage = 'io.k8s.api.core.v1';
const metaPackage = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const appsPackage = 'io.k8s.api.apps.v1';
const autoscalingPackage = 'io.k8s.api.autoscaling.v1';
const coordinationPackage = 'io.k8s.api.coordination.v1';
const eventsPackage = 'io.k8s.api.events.v1';
const rbacPackage = 'io.k8s.api.rbac.v1';
const apiextensionsPackage = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
const authenticationPackage = 'io.k8s.api.authentication.v1';
const authorizationPackage = 'io.k8s.api.authorization.v1';

export const quantityDefinition = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const intOrStringDefinition = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const timeDefinition = `${metaPackage}.Time`;
export const microTimeDefinition = `${metaPackage}.MicroTime`;
export const fieldsV1Definition = `${metaPackage}.FieldsV1`;
export const rawExtensionDefinition = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
export const jsonDefinition = `${apiextensionsPackage}.JSON`;
export const jsonSchemaPropsOrArrayDefinition = `${apiextensionsPackage}.JSONSchemaPropsOrArray`;
export const jsonSchemaPropsOrBoolDefinition = `${apiextensionsPackage}.JSONSchemaPropsOrBool`;
export const jsonSchemaPropsOrStringArrayDefinition = `${apiextensionsPackage}.JSONSchemaPropsOrStringArray`;
export const subresourceStatusDefinition = `${apiextensionsPackage}.CustomResourceSubresourceStatus`;

/** Type names (client-node class name minus its version prefix) per non-core package. */
const packageMembers: Array<[string, string[]]> = [
  [
    metaPackage,
    [
      'APIGroup', 'APIGroupList', 'APIResource', 'APIResourceList', 'APIVersions', 'Condition', 'DeleteOptions',
      'FieldSelectorRequirement', 'GroupVersionForDiscovery', 'LabelSelector', 'LabelSelectorRequirement', 'ListMeta', 'ManagedFieldsEntry',
      'ObjectMeta', 'OwnerReference', 'Preconditions', 'ServerAddressByClientCIDR', 'Status', 'StatusCause',
      'StatusDetails', 'WatchEvent',
    ],
  ],
  [appsPackage, ['Deployment', 'DeploymentCondition', 'DeploymentList', 'DeploymentSpec', 'DeploymentStatus', 'DeploymentStrategy', 'RollingUpdateDeployment']],
  [autoscalingPackage, ['Scale', 'ScaleSpec', 'ScaleStatus']],
  [authenticationPackage, ['BoundObjectReference', 'SelfSubjectReview', 'SelfSubjectReviewStatus', 'TokenRequestSpec', 'TokenRequestStatus', 'UserInfo']],
  [
    authorizationPackage,
    [
      'FieldSelectorAttributes', 'LabelSelectorAttributes', 'LocalSubjectAccessReview', 'NonResourceAttributes', 'NonResourceRule', 'ResourceAttributes',
      'ResourceRule', 'SelfSubjectAccessReview', 'SelfSubjectAccessReviewSpec', 'SelfSubjectRulesReview', 'SelfSubjectRulesReviewSpec',
      'SubjectAccessReview', 'SubjectAccessReviewSpec', 'SubjectAccessReviewStatus', 'SubjectRulesReviewStatus',
    ],
  ],
  [coordinationPackage, ['Lease', 'LeaseList', 'LeaseSpec']],
  [
    rbacPackage,
    ['AggregationRule', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'ClusterRoleList', 'PolicyRule', 'Role', 'RoleBinding', 'RoleBindingList', 'RoleList', 'RoleRef'],
  ],
  [
    apiextensionsPackage,
    [
      'CustomResourceColumnDefinition', 'CustomResourceConversion', 'CustomResourceDefinition', 'CustomResourceDefinitionCondition',
      'CustomResourceDefinitionList', 'CustomResourceDefinitionNames', 'CustomResourceDefinitionSpec', 'CustomResourceDefinitionStatus',
      'CustomResourceDefinitionVersion', 'CustomResourceSubresourceScale', 'CustomResourceSubresources', 'CustomResourceValidation',
      'ExternalDocumentation', 'JSONSchemaProps', 'SelectableField', 'ValidationRule', 'WebhookConversion',
    ],
  ],
];

/** client-node disambiguates same-named types of different groups with a group prefix. */
const prefixedPackages: Array<[string, string]> = [
  ['CoreV1', corePackage],
  ['EventsV1', eventsPackage],
  ['RbacV1', rbacPackage],
  ['ApiextensionsV1', apiextensionsPackage],
  ['AuthenticationV1', authenticationPackage],
];

const packageOfType = new Map<string, string>();
for (const [pkg, members] of packageMembers) for (const m of members) packageOfType.set(m, pkg);

/** `V1Pod` → `io.k8s.api.core.v1.Pod`; `EventsV1Event` → `io.k8s.api.events.v1.Event`. */
export function definitionNameOf(className: string): string {
  if (className === 'V1MicroTime') return microTimeDefinition;
  for (const [prefix, pkg] of prefixedPackages) {
    if (className.startsWith(prefix)) return `${pkg}.${className.slice(prefix.length)}`;
  }
  if (!className.startsWith('V1')) throw new Error(`no Kubernetes definition name known for client-node class ${className}`);
  const typeName = className.slice(2);
  return `${packageOfType.get(typeName) ?? corePackage}.${typeName}`;
}

export type { GroupVersionKind } from '../../api/resource-type.ts';

/** A top-level kind: the definition carries `x-kubernetes-group-version-kind`. */
export interface TopLevelKind {
  className: string;
  gvks: GroupVersionKind[];
}

/** Group-versions this server serves; DeleteOptions and WatchEvent are registered in each. */
export const servedGroupVersions: Array<{ group: string; version: string }> = [
  { group: '', version: 'v1' },
  { group: 'apiextensions.k8s.io', version: 'v1' },
  { group: 'apps', version: 'v1' },
  { group: 'authentication.k8s.io', version: 'v1' },
  { group: 'authorization.k8s.io', version: 'v1' },
  { group: 'autoscaling', version: 'v1' },
  { group: 'coordination.k8s.io', version: 'v1' },
  { group: 'events.k8s.io', version: 'v1' },
  { group: 'rbac.authorization.k8s.io', version: 'v1' },
];

function kindAndList(className: string, listClassName: string, group: string, kind: string): TopLevelKind[] {
  return [
    { className, gvks: [{ group, version: 'v1', kind }] },
    { className: listClassName, gvks: [{ group, version: 'v1', kind: `${kind}List` }] },
  ];
}

function inEveryServedGroup(kind: string): GroupVersionKind[] {
  return servedGroupVersions.map((gv) => ({ ...gv, kind }));
}

/** Roots of the definition graph: every served kind, its List, and the meta kinds the API returns. */
export const topLevelKinds: TopLevelKind[] = [
  ...kindAndList('V1Namespace', 'V1NamespaceList', '', 'Namespace'),
  ...kindAndList('V1Pod', 'V1PodList', '', 'Pod'),
  { className: 'V1Binding', gvks: [{ group: '', version: 'v1', kind: 'Binding' }] },
  ...kindAndList('V1Service', 'V1ServiceList', '', 'Service'),
  ...kindAndList('V1Endpoints', 'V1EndpointsList', '', 'Endpoints'),
  ...kindAndList('V1ConfigMap', 'V1ConfigMapList', '', 'ConfigMap'),
  ...kindAndList('V1Secret', 'V1SecretList', '', 'Secret'),
  ...kindAndList('V1Node', 'V1NodeList', '', 'Node'),
  ...kindAndList('CoreV1Event', 'CoreV1EventList', '', 'Event'),
  ...kindAndList('V1ServiceAccount', 'V1ServiceAccountList', '', 'ServiceAccount'),
  { className: 'AuthenticationV1TokenRequest', gvks: [{ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }] },
  { className: 'V1SelfSubjectReview', gvks: [{ group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview' }] },
  { className: 'V1SelfSubjectAccessReview', gvks: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' }] },
  { className: 'V1SelfSubjectRulesReview', gvks: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview' }] },
  { className: 'V1SubjectAccessReview', gvks: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview' }] },
  { className: 'V1LocalSubjectAccessReview', gvks: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'LocalSubjectAccessReview' }] },
  ...kindAndList('V1ResourceQuota', 'V1ResourceQuotaList', '', 'ResourceQuota'),
  ...kindAndList('V1Lease', 'V1LeaseList', 'coordination.k8s.io', 'Lease'),
  ...kindAndList('EventsV1Event', 'EventsV1EventList', 'events.k8s.io', 'Event'),
  ...kindAndList('V1Deployment', 'V1DeploymentList', 'apps', 'Deployment'),
  { className: 'V1Scale', gvks: [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }] },
  ...kindAndList('V1Role', 'V1RoleList', 'rbac.authorization.k8s.io', 'Role'),
  ...kindAndList('V1RoleBinding', 'V1RoleBindingList', 'rbac.authorization.k8s.io', 'RoleBinding'),
  ...kindAndList('V1ClusterRole', 'V1ClusterRoleList', 'rbac.authorization.k8s.io', 'ClusterRole'),
  ...kindAndList('V1ClusterRoleBinding', 'V1ClusterRoleBindingList', 'rbac.authorization.k8s.io', 'ClusterRoleBinding'),
  ...kindAndList('V1CustomResourceDefinition', 'V1CustomResourceDefinitionList', 'apiextensions.k8s.io', 'CustomResourceDefinition'),
  { className: 'V1Status', gvks: [{ group: '', version: 'v1', kind: 'Status' }] },
  { className: 'V1APIResourceList', gvks: [{ group: '', version: 'v1', kind: 'APIResourceList' }] },
  { className: 'V1APIGroup', gvks: [{ group: '', version: 'v1', kind: 'APIGroup' }] },
  { className: 'V1APIGroupList', gvks: [{ group: '', version: 'v1', kind: 'APIGroupList' }] },
  { className: 'V1APIVersions', gvks: [{ group: '', version: 'v1', kind: 'APIVersions' }] },
  { className: 'V1DeleteOptions', gvks: inEveryServedGroup('DeleteOptions') },
  { className: 'V1WatchEvent', gvks: inEveryServedGroup('WatchEvent') },
];
