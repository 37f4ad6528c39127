/** The JSON fields of metav1.ObjectMeta; anything else under `metadata` is an unknown field. */
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/** TypeMeta and ObjectMeta: never pruned at a resource root or in an embedded resource. */
export const RESOURCE_META_FIELDS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);
