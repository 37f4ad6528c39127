/**
 * Fields never recorded in managedFields (kube-apiserver's stripMetaManager): type meta and the
 * metadata fields the server owns or that identify the object. Labels, annotations, finalizers
 * and ownerReferences stay tracked.
 */
import { FieldSet } from './field-set.ts';
import { fieldElement } from './field-set-path.ts';

const untracked = FieldSet.of(
  [fieldElement('apiVersion')],
  [fieldElement('kind')],
  [fieldElement('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [
    fieldElement('metadata'),
    fieldElement(f),
  ]),
);

/** Removes exactly those paths (not their subtrees: `metadata.labels.x` stays). */
export function stripUntrackedFields(set: FieldSet): FieldSet {
  return set.difference(untracked);
}
