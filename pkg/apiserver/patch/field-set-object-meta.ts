/**
 * The schema server-side apply walks for a whole object. CRD schemas only say `metadata: {type:
 * object}`, but Kubernetes tracks ObjectMeta with its real shape (labels and annotations as
 * granular maps, finalizers as a set, ownerReferences keyed by uid), so the root schema is
 * overlaid with that shape — the same for CRDs and built-in kinds.
 */
import type { Schema } from '../schema/types.ts';

const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };

const ownerReference: Schema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    uid: { type: 'string' },
    controller: { type: 'boolean' },
    blockOwnerDeletion: { type: 'boolean' },
  },
};

const managedFieldsEntry: Schema = {
  type: 'object',
  properties: {
    manager: { type: 'string' },
    operation: { type: 'string' },
    apiVersion: { type: 'string' },
    time: { type: 'string' },
    fieldsType: { type: 'string' },
    fieldsV1: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    subresource: { type: 'string' },
  },
};

export const OBJECT_META_SCHEMA: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    selfLink: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: 'string' },
    deletionTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
    labels: stringMap,
    annotations: stringMap,
    ownerReferences: { type: 'array', items: ownerReference, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['uid'] },
    finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    managedFields: { type: 'array', items: managedFieldsEntry, 'x-kubernetes-list-type': 'atomic' },
  },
};

/** `schema` with `apiVersion`, `kind` and the full ObjectMeta shape at `metadata`. */
export function objectSchema(schema: Schema): Schema {
  return {
    ...schema,
    type: 'object',
    properties: {
      ...schema.properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: OBJECT_META_SCHEMA,
    },
  };
}
