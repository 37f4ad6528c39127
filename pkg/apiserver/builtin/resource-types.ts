/**
 * The built-in resources this API server serves, one ResourceType per group/version/resource,
 * with discovery facts (verbs, short names, categories, scope) as kube-apiserver reports them.
 */
import type { ResourceStrategy, ResourceType } from '../api/resource-type.ts';
import { builtinTableFor } from '../table/builtin.ts';
import {
  coreEventFieldSelectors,
  eventsV1FieldSelectors,
  namespaceFieldSelectors,
  nodeFieldSelectors,
  podFieldSelectors,
  secretFieldSelectors,
  serviceFieldSelectors,
} from './field-selectors.ts';
import { configMapStrategy, secretStrategy } from './kinds/config-data.ts';
import { createCrdStrategy, type CrdStrategyOptions } from './kinds/crds.ts';
import { deploymentStrategy } from './kinds/deployments.ts';
import { coreEventStrategy, coreEventToEventsV1, eventsV1Strategy, eventsV1ToCoreEvent } from './kinds/events.ts';
import { namespaceStrategy } from './kinds/namespaces.ts';
import { nodeStrategy } from './kinds/nodes.ts';
import { podStrategy } from './kinds/pods.ts';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './kinds/rbac.ts';
import { serviceStrategy } from './kinds/services.ts';
import { endpointsStrategy, leaseStrategy, resourceQuotaStrategy, serviceAccountStrategy } from './kinds/simple.ts';
import { resolveSchema } from './openapi/load.ts';

/** The verbs of an ordinary stored resource, sorted like discovery lists them. */
const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface BuiltinSpec {
  group: string;
  resource: string;
  kind: string;
  /** Kubernetes definition name of the kind's schema. */
  definition: string;
  namespaced: boolean;
  strategy: ResourceStrategy;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  verbs?: string[];
  fieldSelectors?: ResourceType['fieldSelectors'];
  singular?: string;
  storageGroup?: string;
  storageResource?: string;
  codec?: ResourceType['codec'];
}

function toResourceType(s: BuiltinSpec): ResourceType {
  const rt: ResourceType = {
    group: s.group,
    version: 'v1',
    resource: s.resource,
    singular: s.singular ?? s.kind.toLowerCase(),
    kind: s.kind,
    listKind: `${s.kind}List`,
    namespaced: s.namespaced,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    verbs: s.verbs ?? allVerbs,
    subresources: s.subresources ?? [],
    schema: resolveSchema(s.definition),
    prunesUnknownFields: false,
    strategicMergePatch: true,
    strategy: s.strategy,
    table: builtinTableFor(s.group, s.resource),
    fieldSelectors: s.fieldSelectors ?? {},
  };
  if (s.storageResource !== undefined) {
    rt.storageGroup = s.storageGroup ?? '';
    rt.storageResource = s.storageResource;
  }
  if (s.codec) rt.codec = s.codec;
  return rt;
}

const core = 'io.k8s.api.core.v1';
const rbac = 'rbac.authorization.k8s.io';
const authentication = 'authentication.k8s.io';
const authorization = 'authorization.k8s.io';
/** Reviews have nothing to default or validate beyond what their handlers check. */
const reviewStrategy: ResourceStrategy = {};

export interface BuiltinResourceTypeOptions {
  /** Structural-schema validation for CRDs (see createCrdStrategy). */
  crd?: CrdStrategyOptions;
}

/**
 * All built-in resource types. Note: events.k8s.io/v1 `events` shares core/v1 `events` storage
 * (storageGroup '', storageResource 'events'); objects must be converted with
 * coreEventToEventsV1 / eventsV1ToCoreEvent (kinds/events.ts) on the way out / in.
 */
export function builtinResourceTypes(opts: BuiltinResourceTypeOptions = {}): ResourceType[] {
  const specs: BuiltinSpec[] = [
    { group: '', resource: 'namespaces', kind: 'Namespace', definition: `${core}.Namespace`, namespaced: false, strategy: namespaceStrategy, shortNames: ['ns'], subresources: ['status', 'finalize'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], fieldSelectors: namespaceFieldSelectors },
    { group: '', resource: 'pods', kind: 'Pod', definition: `${core}.Pod`, namespaced: true, strategy: podStrategy, shortNames: ['po'], categories: ['all'], subresources: ['binding', 'log', 'status'], fieldSelectors: podFieldSelectors },
    { group: '', resource: 'services', kind: 'Service', definition: `${core}.Service`, namespaced: true, strategy: serviceStrategy, shortNames: ['svc'], categories: ['all'], subresources: ['status'], fieldSelectors: serviceFieldSelectors },
    { group: '', resource: 'endpoints', kind: 'Endpoints', definition: `${core}.Endpoints`, namespaced: true, strategy: endpointsStrategy, shortNames: ['ep'], singular: 'endpoints' },
    { group: '', resource: 'configmaps', kind: 'ConfigMap', definition: `${core}.ConfigMap`, namespaced: true, strategy: configMapStrategy, shortNames: ['cm'] },
    { group: '', resource: 'secrets', kind: 'Secret', definition: `${core}.Secret`, namespaced: true, strategy: secretStrategy, fieldSelectors: secretFieldSelectors },
    { group: '', resource: 'nodes', kind: 'Node', definition: `${core}.Node`, namespaced: false, strategy: nodeStrategy, shortNames: ['no'], subresources: ['status'], fieldSelectors: nodeFieldSelectors },
    { group: '', resource: 'events', kind: 'Event', definition: `${core}.Event`, namespaced: true, strategy: coreEventStrategy, shortNames: ['ev'], fieldSelectors: coreEventFieldSelectors },
    { group: '', resource: 'serviceaccounts', kind: 'ServiceAccount', definition: `${core}.ServiceAccount`, namespaced: true, strategy: serviceAccountStrategy, shortNames: ['sa'], subresources: ['token'] },
    { group: '', resource: 'resourcequotas', kind: 'ResourceQuota', definition: `${core}.ResourceQuota`, namespaced: true, strategy: resourceQuotaStrategy, shortNames: ['quota'], subresources: ['status'] },
    { group: 'coordination.k8s.io', resource: 'leases', kind: 'Lease', definition: 'io.k8s.api.coordination.v1.Lease', namespaced: true, strategy: leaseStrategy },
    { group: 'events.k8s.io', resource: 'events', kind: 'Event', definition: 'io.k8s.api.events.v1.Event', namespaced: true, strategy: eventsV1Strategy, shortNames: ['ev'], fieldSelectors: eventsV1FieldSelectors, storageGroup: '', storageResource: 'events', codec: { toStorage: eventsV1ToCoreEvent, fromStorage: coreEventToEventsV1 } },
    { group: 'apps', resource: 'deployments', kind: 'Deployment', definition: 'io.k8s.api.apps.v1.Deployment', namespaced: true, strategy: deploymentStrategy, shortNames: ['deploy'], categories: ['all'], subresources: ['scale', 'status'] },
    // Reviews are computed per request and never stored (pkg/apiserver/http/virtual-resources.ts).
    { group: authentication, resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', definition: 'io.k8s.api.authentication.v1.SelfSubjectReview', namespaced: false, strategy: reviewStrategy, verbs: ['create'] },
    { group: authorization, resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', definition: 'io.k8s.api.authorization.v1.LocalSubjectAccessReview', namespaced: true, strategy: reviewStrategy, verbs: ['create'] },
    { group: authorization, resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', definition: 'io.k8s.api.authorization.v1.SelfSubjectAccessReview', namespaced: false, strategy: reviewStrategy, verbs: ['create'] },
    { group: authorization, resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', definition: 'io.k8s.api.authorization.v1.SelfSubjectRulesReview', namespaced: false, strategy: reviewStrategy, verbs: ['create'] },
    { group: authorization, resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', definition: 'io.k8s.api.authorization.v1.SubjectAccessReview', namespaced: false, strategy: reviewStrategy, verbs: ['create'] },
    { group: rbac, resource: 'roles', kind: 'Role', definition: 'io.k8s.api.rbac.v1.Role', namespaced: true, strategy: roleStrategy },
    { group: rbac, resource: 'rolebindings', kind: 'RoleBinding', definition: 'io.k8s.api.rbac.v1.RoleBinding', namespaced: true, strategy: roleBindingStrategy },
    { group: rbac, resource: 'clusterroles', kind: 'ClusterRole', definition: 'io.k8s.api.rbac.v1.ClusterRole', namespaced: false, strategy: clusterRoleStrategy },
    { group: rbac, resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', definition: 'io.k8s.api.rbac.v1.ClusterRoleBinding', namespaced: false, strategy: clusterRoleBindingStrategy },
    {
      group: 'apiextensions.k8s.io',
      resource: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      definition: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
      namespaced: false,
      strategy: createCrdStrategy(opts.crd),
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      subresources: ['status'],
    },
  ];
  return specs.map(toResourceType);
}
