/**
 * What @kubernetes/client-node's models do not carry but Kubernetes' published OpenAPI does:
 * strategic-merge-patch keys (`patchStrategy`/`patchMergeKey` struct tags) and server-side-apply
 * list/map semantics (`+listType`, `+listMapKey`, `+mapType`, `+structType`), transcribed from
 * k8s.io/api and k8s.io/apimachinery types for the kinds this server serves. Strategic merge patch
 * and server-side apply read these, so a wrong entry changes how `kubectl apply` merges lists.
 *
 * Also: which string fields are really `resource.Quantity` (client-node types them as string),
 * which untyped (`any`) fields point at which Kubernetes definition, and the hand-written
 * definitions of the scalar-ish types client-node has no class for.
 */
import type { Schema } from '../../schema/types.ts';
import {
  fieldsV1Definition,
  intOrStringDefinition,
  jsonDefinition,
  jsonSchemaPropsOrArrayDefinition,
  jsonSchemaPropsOrBoolDefinition,
  jsonSchemaPropsOrStringArrayDefinition,
  microTimeDefinition,
  quantityDefinition,
  rawExtensionDefinition,
  subresourceStatusDefinition,
  timeDefinition,
} from './definition-names.ts';

export type ListExtensions = Pick<
  Schema,
  'x-kubernetes-patch-merge-key' | 'x-kubernetes-patch-strategy' | 'x-kubernetes-list-type' | 'x-kubernetes-list-map-keys' | 'x-kubernetes-map-type'
>;

const atomic: ListExtensions = { 'x-kubernetes-list-type': 'atomic' };
const atomicMap: ListExtensions = { 'x-kubernetes-map-type': 'atomic' };

/** `+listType=map` keyed by `keys`, merged by strategic merge patch on `keys[0]`. */
function mergeMap(keys: string[], strategy = 'merge'): ListExtensions {
  return {
    'x-kubernetes-list-map-keys': keys,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-patch-merge-key': keys[0],
    'x-kubernetes-patch-strategy': strategy,
  };
}

/** `+listType=map` without strategic-merge tags (server-side apply only). */
function listMap(keys: string[]): ListExtensions {
  return { 'x-kubernetes-list-map-keys': keys, 'x-kubernetes-list-type': 'map' };
}

function atomics(...fields: string[]): Record<string, ListExtensions> {
  return Object.fromEntries(fields.map((f) => [f, atomic]));
}

const containerLists: Record<string, ListExtensions> = {
  ...atomics('args', 'command', 'envFrom', 'resizePolicy', 'restartPolicyRules'),
  env: mergeMap(['name']),
  ports: { ...mergeMap(['containerPort', 'protocol']) },
  volumeDevices: mergeMap(['devicePath']),
  volumeMounts: mergeMap(['mountPath']),
};

const core = 'io.k8s.api.core.v1';
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const rbac = 'io.k8s.api.rbac.v1';
const apiext = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/** Per definition, per field: the extensions Kubernetes' spec carries on that property. */
export const fieldExtensions: Record<string, Record<string, ListExtensions>> = {
  [`${meta}.ObjectMeta`]: {
    finalizers: { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
    managedFields: atomic,
    ownerReferences: mergeMap(['uid']),
  },
  [`${meta}.LabelSelector`]: atomics('matchExpressions'),
  [`${meta}.LabelSelectorRequirement`]: atomics('values'),
  [`${meta}.StatusDetails`]: atomics('causes'),
  [`${meta}.DeleteOptions`]: atomics('dryRun'),

  [`${core}.PodSpec`]: {
    containers: mergeMap(['name']),
    ephemeralContainers: mergeMap(['name']),
    hostAliases: mergeMap(['ip']),
    imagePullSecrets: mergeMap(['name']),
    initContainers: mergeMap(['name']),
    nodeSelector: atomicMap,
    readinessGates: atomic,
    resourceClaims: mergeMap(['name'], 'merge,retainKeys'),
    schedulingGates: mergeMap(['name']),
    tolerations: atomic,
    topologySpreadConstraints: mergeMap(['topologyKey', 'whenUnsatisfiable']),
    volumes: mergeMap(['name'], 'merge,retainKeys'),
  },
  [`${core}.Container`]: containerLists,
  [`${core}.EphemeralContainer`]: containerLists,
  [`${core}.ResourceRequirements`]: { claims: listMap(['name']) },
  [`${core}.ContainerRestartRuleOnExitCodes`]: { values: { 'x-kubernetes-list-type': 'set' } },
  [`${core}.PodSecurityContext`]: atomics('supplementalGroups', 'sysctls'),
  [`${core}.Capabilities`]: atomics('add', 'drop'),
  [`${core}.PodDNSConfig`]: atomics('nameservers', 'options', 'searches'),
  [`${core}.HostAlias`]: atomics('hostnames'),
  [`${core}.ExecAction`]: atomics('command'),
  [`${core}.HTTPGetAction`]: atomics('httpHeaders'),
  [`${core}.ConfigMapVolumeSource`]: atomics('items'),
  [`${core}.SecretVolumeSource`]: atomics('items'),
  [`${core}.ConfigMapProjection`]: atomics('items'),
  [`${core}.SecretProjection`]: atomics('items'),
  [`${core}.DownwardAPIVolumeSource`]: atomics('items'),
  [`${core}.DownwardAPIProjection`]: atomics('items'),
  [`${core}.ProjectedVolumeSource`]: atomics('sources'),
  [`${core}.NodeSelector`]: atomics('nodeSelectorTerms'),
  [`${core}.NodeSelectorTerm`]: atomics('matchExpressions', 'matchFields'),
  [`${core}.NodeSelectorRequirement`]: atomics('values'),
  [`${core}.NodeAffinity`]: atomics('preferredDuringSchedulingIgnoredDuringExecution'),
  [`${core}.PodAffinity`]: atomics('preferredDuringSchedulingIgnoredDuringExecution', 'requiredDuringSchedulingIgnoredDuringExecution'),
  [`${core}.PodAntiAffinity`]: atomics('preferredDuringSchedulingIgnoredDuringExecution', 'requiredDuringSchedulingIgnoredDuringExecution'),
  [`${core}.PodAffinityTerm`]: atomics('matchLabelKeys', 'mismatchLabelKeys', 'namespaces'),
  [`${core}.TopologySpreadConstraint`]: atomics('matchLabelKeys'),
  [`${core}.PodStatus`]: {
    ...atomics('containerStatuses', 'ephemeralContainerStatuses', 'initContainerStatuses'),
    conditions: mergeMap(['type']),
    hostIPs: { 'x-kubernetes-list-type': 'atomic', 'x-kubernetes-patch-merge-key': 'ip', 'x-kubernetes-patch-strategy': 'merge' },
    podIPs: mergeMap(['ip']),
    resourceClaimStatuses: mergeMap(['name'], 'merge,retainKeys'),
  },
  [`${core}.ContainerStatus`]: {
    allocatedResourcesStatus: mergeMap(['name']),
    volumeMounts: mergeMap(['mountPath']),
  },
  [`${core}.ResourceStatus`]: { resources: listMap(['resourceID']) },

  [`${core}.ServiceSpec`]: {
    ...atomics('clusterIPs', 'externalIPs', 'ipFamilies', 'loadBalancerSourceRanges'),
    ports: mergeMap(['port', 'protocol']),
    selector: atomicMap,
  },
  [`${core}.ServiceStatus`]: { conditions: mergeMap(['type']) },
  [`${core}.LoadBalancerStatus`]: atomics('ingress'),
  [`${core}.LoadBalancerIngress`]: atomics('ports'),
  [`${core}.Endpoints`]: atomics('subsets'),
  [`${core}.EndpointSubset`]: atomics('addresses', 'notReadyAddresses', 'ports'),

  [`${core}.NodeSpec`]: {
    podCIDRs: { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
    taints: atomic,
  },
  [`${core}.NodeStatus`]: {
    ...atomics('images', 'runtimeHandlers', 'volumesAttached', 'volumesInUse'),
    addresses: mergeMap(['type']),
    conditions: mergeMap(['type']),
  },
  [`${core}.ContainerImage`]: atomics('names'),
  [`${core}.NamespaceSpec`]: atomics('finalizers'),
  [`${core}.NamespaceStatus`]: { conditions: mergeMap(['type']) },
  [`${core}.ServiceAccount`]: { imagePullSecrets: atomic, secrets: mergeMap(['name']) },
  [`${core}.ResourceQuotaSpec`]: atomics('scopes'),
  [`${core}.ScopeSelector`]: atomics('matchExpressions'),
  [`${core}.ScopedResourceSelectorRequirement`]: atomics('values'),

  ['io.k8s.api.apps.v1.DeploymentStatus']: { conditions: mergeMap(['type']) },

  [`${rbac}.Role`]: atomics('rules'),
  [`${rbac}.ClusterRole`]: atomics('rules'),
  [`${rbac}.AggregationRule`]: atomics('clusterRoleSelectors'),
  [`${rbac}.RoleBinding`]: atomics('subjects'),
  [`${rbac}.ClusterRoleBinding`]: atomics('subjects'),
  [`${rbac}.PolicyRule`]: atomics('apiGroups', 'nonResourceURLs', 'resourceNames', 'resources', 'verbs'),

  [`${apiext}.CustomResourceDefinitionSpec`]: atomics('versions'),
  [`${apiext}.CustomResourceDefinitionNames`]: atomics('categories', 'shortNames'),
  [`${apiext}.CustomResourceDefinitionStatus`]: { conditions: listMap(['type']), storedVersions: atomic },
  [`${apiext}.CustomResourceDefinitionVersion`]: atomics('additionalPrinterColumns', 'selectableFields'),
  [`${apiext}.WebhookConversion`]: atomics('conversionReviewVersions'),
};

/** Structs marked `+structType=atomic`: server-side apply replaces them as a whole. */
export const atomicStructs: string[] = [
  `${meta}.LabelSelector`,
  `${meta}.OwnerReference`,
  `${core}.ConfigMapKeySelector`,
  `${core}.LocalObjectReference`,
  `${core}.NodeSelector`,
  `${core}.NodeSelectorTerm`,
  `${core}.ObjectFieldSelector`,
  `${core}.ObjectReference`,
  `${core}.ResourceFieldSelector`,
  `${core}.SecretKeySelector`,
  `${core}.TypedLocalObjectReference`,
];

/** String (or string-map) fields whose Go type is resource.Quantity. */
export const quantityFields: Record<string, string[]> = {
  [`${core}.ContainerStatus`]: ['allocatedResources'],
  [`${core}.EmptyDirVolumeSource`]: ['sizeLimit'],
  [`${core}.NodeAllocatableResourceClaimStatus`]: ['resources'],
  [`${core}.NodeStatus`]: ['allocatable', 'capacity'],
  [`${core}.PodSpec`]: ['overhead'],
  [`${core}.PodStatus`]: ['allocatedResources'],
  [`${core}.ResourceFieldSelector`]: ['divisor'],
  [`${core}.ResourceQuotaSpec`]: ['hard'],
  [`${core}.ResourceQuotaStatus`]: ['hard', 'used'],
  [`${core}.ResourceRequirements`]: ['limits', 'requests'],
  [`${core}.VolumeResourceRequirements`]: ['limits', 'requests'],
};

/** client-node types these as `any`; Kubernetes references a named definition. */
export const untypedFieldDefinitions: Record<string, Record<string, string>> = {
  [`${meta}.ManagedFieldsEntry`]: { fieldsV1: fieldsV1Definition },
  [`${meta}.WatchEvent`]: { object: rawExtensionDefinition },
  [`${apiext}.CustomResourceSubresources`]: { status: subresourceStatusDefinition },
  [`${apiext}.JSONSchemaProps`]: {
    additionalItems: jsonSchemaPropsOrBoolDefinition,
    additionalProperties: jsonSchemaPropsOrBoolDefinition,
    default: jsonDefinition,
    dependencies: jsonSchemaPropsOrStringArrayDefinition,
    enum: jsonDefinition,
    example: jsonDefinition,
    items: jsonSchemaPropsOrArrayDefinition,
  },
};

/**
 * Definitions with no client-node class. Opaque values carry `x-kubernetes-preserve-unknown-fields`
 * (Kubernetes' spec leaves them untyped) so that schema walkers treat them as "anything goes"
 * instead of an object with no known fields.
 */
export const handWrittenDefinitions: Record<string, Schema> = {
  [quantityDefinition]: {
    description:
      'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the "" case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= "+" | "-" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | "" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn\'t choose the capitalization.)\n\n<decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber> ```\n\nNo matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we require larger or smaller quantities.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
    pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
    'x-kubernetes-int-or-string': true,
  },
  [intOrStringDefinition]: {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  },
  [timeDefinition]: {
    description:
      'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    format: 'date-time',
    type: 'string',
  },
  [microTimeDefinition]: {
    description: 'MicroTime is version of Time with microsecond level precision.',
    format: 'date-time',
    type: 'string',
  },
  [fieldsV1Definition]: {
    description:
      "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is integer index of a list item 'k:<keys>', where <keys> is a map of a list item's key fields to their unique values If a key maps to an empty Fields value, the field that represents is a subset of the field itself.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [rawExtensionDefinition]: {
    description: 'RawExtension is used to hold extensions in external versions.',
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [jsonDefinition]: {
    description: 'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [jsonSchemaPropsOrArrayDefinition]: {
    description: 'JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [jsonSchemaPropsOrBoolDefinition]: {
    description: 'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [jsonSchemaPropsOrStringArrayDefinition]: {
    description: 'JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [subresourceStatusDefinition]: {
    description:
      'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources. Status is represented by the `.status` JSON path inside of a CustomResource. When set, * exposes a /status subresource for the custom resource * PUT requests to the /status subresource take a custom resource object, and ignore changes to anything except the status stanza * PUT/POST/PATCH requests to the custom resource ignore changes to the status stanza',
    type: 'object',
  },
};
