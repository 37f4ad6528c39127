import { refTo, type OpenApiSchema } from './openapi-schema.ts';

/**
 * The apimachinery definitions every group-version document refers to (object and list metadata,
 * Status, DeleteOptions, Patch) plus autoscaling/v1 Scale for `/scale` subresources. Descriptions
 * follow the upstream ones in shortened form: `kubectl explain <kind>.metadata` prints them.
 * Callers can override any of these by passing a definition of the same name.
 */
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const PATCH = `${META}.Patch`;
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

const str = (description: string): OpenApiSchema => ({ type: 'string', description });
const int = (description: string, format = 'int64'): OpenApiSchema => ({ type: 'integer', format, description });
const strMap = (description: string): OpenApiSchema => ({ type: 'object', additionalProperties: { type: 'string', default: '' }, description });
const time = (description: string): OpenApiSchema => ({ allOf: [refTo(`${META}.Time`)], description });

export const metaDefinitions: Record<string, OpenApiSchema> = {
  [`${META}.Time`]: {
    type: 'string',
    format: 'date-time',
    description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
  },
  [`${META}.FieldsV1`]: {
    type: 'object',
    description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.",
  },
  [OBJECT_META]: {
    type: 'object',
    description: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    properties: {
      annotations: strMap('Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.'),
      creationTimestamp: time('CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only.'),
      deletionGracePeriodSeconds: int('Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set.'),
      deletionTimestamp: time('DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. Populated by the system when a graceful deletion is requested. Read-only.'),
      finalizers: {
        type: 'array',
        items: { type: 'string', default: '' },
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-patch-strategy': 'merge',
        description: 'Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list.',
      },
      generateName: str('GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.'),
      generation: int('A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.'),
      labels: strMap('Map of string keys and values that can be used to organize and categorize (scope and select) objects.'),
      managedFields: {
        type: 'array',
        items: { allOf: [refTo(`${META}.ManagedFieldsEntry`)], default: {} },
        'x-kubernetes-list-type': 'atomic',
        description: 'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping.',
      },
      name: str('Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Cannot be updated.'),
      namespace: str('Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace. Cannot be updated.'),
      ownerReferences: {
        type: 'array',
        items: { allOf: [refTo(`${META}.OwnerReference`)], default: {} },
        'x-kubernetes-list-map-keys': ['uid'],
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
        description: 'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.',
      },
      resourceVersion: str('An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. Populated by the system. Read-only.'),
      selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
      uid: str('UID is the unique in time and space value for this object. Populated by the system. Read-only.'),
    },
  },
  [`${META}.OwnerReference`]: {
    type: 'object',
    description: 'OwnerReference contains enough information to let you identify an owning object.',
    required: ['apiVersion', 'kind', 'name', 'uid'],
    properties: {
      apiVersion: { type: 'string', default: '', description: 'API version of the referent.' },
      blockOwnerDeletion: { type: 'boolean', description: 'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.' },
      controller: { type: 'boolean', description: 'If true, this reference points to the managing controller.' },
      kind: { type: 'string', default: '', description: 'Kind of the referent.' },
      name: { type: 'string', default: '', description: 'Name of the referent.' },
      uid: { type: 'string', default: '', description: 'UID of the referent.' },
    },
    'x-kubernetes-map-type': 'atomic',
  },
  [`${META}.ManagedFieldsEntry`]: {
    type: 'object',
    description: 'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
    properties: {
      apiVersion: str('APIVersion defines the version of this resource that this field set applies to.'),
      fieldsType: str('FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: "FieldsV1"'),
      fieldsV1: { allOf: [refTo(`${META}.FieldsV1`)], description: 'FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.' },
      manager: str('Manager is an identifier of the workflow managing these fields.'),
      operation: str("Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'."),
      subresource: str('Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource.'),
      time: time('Time is the timestamp of when the ManagedFields entry was added.'),
    },
  },
  [LIST_META]: {
    type: 'object',
    description: 'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
    properties: {
      continue: str('continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available.'),
      remainingItemCount: int('remainingItemCount is the number of subsequent items in the list which are not included in this list response.'),
      resourceVersion: str("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed."),
      selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
    },
  },
  [`${META}.StatusCause`]: {
    type: 'object',
    description: 'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
    properties: {
      field: str('The field of the resource that has caused this error, as named by its JSON serialization.'),
      message: str('A human-readable description of the cause of the error.'),
      reason: str('A machine-readable description of the cause of the error.'),
    },
  },
  [`${META}.StatusDetails`]: {
    type: 'object',
    description: 'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.',
    properties: {
      causes: { type: 'array', items: { allOf: [refTo(`${META}.StatusCause`)], default: {} }, 'x-kubernetes-list-type': 'atomic', description: 'The Causes array includes more details associated with the StatusReason failure.' },
      group: str('The group attribute of the resource associated with the status StatusReason.'),
      kind: str('The kind attribute of the resource associated with the status StatusReason.'),
      name: str('The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).'),
      retryAfterSeconds: int('If specified, the time in seconds before the operation should be retried.', 'int32'),
      uid: str('UID of the resource.'),
    },
  },
  [STATUS]: {
    type: 'object',
    description: 'Status is a return value for calls that don\'t return other objects.',
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      code: int('Suggested HTTP return code for this status, 0 if not set.', 'int32'),
      details: { allOf: [refTo(`${META}.StatusDetails`)], description: 'Extended data associated with the reason.' },
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      message: str('A human-readable description of the status of this operation.'),
      metadata: { allOf: [refTo(LIST_META)], default: {}, description: 'Standard list metadata.' },
      reason: str('A machine-readable description of why this operation is in the "Failure" status.'),
      status: str('Status of the operation. One of: "Success" or "Failure".'),
    },
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
  },
  [`${META}.Preconditions`]: {
    type: 'object',
    description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
    properties: { resourceVersion: str('Specifies the target ResourceVersion'), uid: str('Specifies the target UID.') },
  },
  [DELETE_OPTIONS]: {
    type: 'object',
    description: 'DeleteOptions may be provided when deleting an API object.',
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      dryRun: { type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': 'atomic', description: 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed' },
      gracePeriodSeconds: int('The duration in seconds before the object should be deleted.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      orphanDependents: { type: 'boolean', description: 'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7.' },
      preconditions: { allOf: [refTo(`${META}.Preconditions`)], description: 'Must be fulfilled before a deletion is carried out.' },
      propagationPolicy: str("Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
    },
  },
  [PATCH]: {
    type: 'object',
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  },
  [SCALE]: {
    type: 'object',
    description: 'Scale represents a scaling request for a resource.',
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: { allOf: [refTo(OBJECT_META)], default: {}, description: "Standard object metadata." },
      spec: { type: 'object', properties: { replicas: int('replicas is the desired number of instances for the scaled object.', 'int32') }, description: 'spec defines the behavior of the scale.' },
      status: {
        type: 'object',
        required: ['replicas'],
        properties: {
          replicas: int('replicas is the actual number of observed instances of the scaled object.', 'int32'),
          selector: str('selector is the label query over pods that should match the replicas count.'),
        },
        description: 'status is the current status of the scale. Read-only.',
      },
    },
    'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
  },
};
