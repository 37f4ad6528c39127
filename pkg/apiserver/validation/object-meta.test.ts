import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '../api/object.ts';
import { nameIsDNSSubdomain, validatePathSegmentName } from './name-validators.ts';
import { validateObjectMeta } from './object-meta.ts';
import { validateObjectMetaUpdate } from './object-meta-update.ts';

const namespaced = { namespaced: true, nameValidator: nameIsDNSSubdomain };
const clusterScoped = { namespaced: false, nameValidator: nameIsDNSSubdomain };
const msgs = (meta: ObjectMeta, opts = namespaced) => validateObjectMeta(meta, opts).map(String);

describe('validateObjectMeta', () => {
  it('accepts a valid namespaced object', () => {
    expect(msgs({ name: 'job-1', namespace: 'cross-domain', labels: { 'kuscia.secretflow/role': 'host' }, finalizers: ['kuscia.secretflow/x'] })).toEqual([]);
  });

  it('rejects an invalid name with the RFC 1123 subdomain message', () => {
    expect(msgs({ name: 'Bad_Name', namespace: 'ns' })).toEqual([
      "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });

  it('requires a name or generateName, and validates generateName as a prefix', () => {
    expect(msgs({ namespace: 'ns' })).toEqual(['metadata.name: Required value: name or generateName is required']);
    expect(msgs({ generateName: 'UP-', name: 'up-x1', namespace: 'ns' })).toHaveLength(1);
    expect(msgs({ generateName: 'job-', name: 'job-abcde', namespace: 'ns' })).toEqual([]);
  });

  it('requires or forbids the namespace by scope', () => {
    expect(msgs({ name: 'a' })).toEqual(['metadata.namespace: Required value']);
    expect(msgs({ name: 'a', namespace: 'Bad.NS' })[0]).toMatch(/^metadata\.namespace: Invalid value: "Bad\.NS": a lowercase RFC 1123 label/);
    expect(msgs({ name: 'a', namespace: 'ns' }, clusterScoped)).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });

  it('validates label keys and values on the labels path', () => {
    expect(msgs({ name: 'a', namespace: 'n', labels: { 'bad key': 'v', ok: 'x'.repeat(64) } })).toEqual([
      "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      `metadata.labels: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`,
    ]);
  });

  it('limits the total annotation size to 256 KiB', () => {
    expect(msgs({ name: 'a', namespace: 'n', annotations: { big: 'x'.repeat(256 * 1024 - 3) } })).toEqual([]);
    expect(msgs({ name: 'a', namespace: 'n', annotations: { big: 'x'.repeat(256 * 1024) } })).toEqual([
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  it('validates finalizer names and the orphan/foreground conflict', () => {
    expect(msgs({ name: 'a', namespace: 'n', finalizers: ['a/b/c'] })[0]).toMatch(/^metadata\.finalizers: Invalid value: "a\/b\/c": a qualified name/);
    expect(msgs({ name: 'a', namespace: 'n', finalizers: ['orphan', 'foregroundDeletion'] })).toEqual([
      'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
    ]);
  });

  it('validates owner references', () => {
    const ref = { apiVersion: '', kind: 'KusciaJob', name: '', uid: 'u1' };
    expect(msgs({ name: 'a', namespace: 'n', ownerReferences: [ref] })).toEqual([
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
    ]);
    const c = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', name, uid: name, controller: true });
    expect(msgs({ name: 'a', namespace: 'n', ownerReferences: [c('x'), c('y')] })[0]).toContain(
      'Only one reference can have Controller set to true. Found "true" in references for Pod/x and Pod/y',
    );
  });

  it('accepts a named validator for configuration-driven callers', () => {
    expect(validateObjectMeta({ name: 'a.b', namespace: 'n' }, { namespaced: true, nameValidator: 'dns1123-label' }).map(String)).toEqual([
      'metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
    expect(validateObjectMeta({ name: 'a.b', namespace: 'n' }, { namespaced: true, nameValidator: 'dns1123-subdomain' })).toEqual([]);
  });

  it('supports a custom path and name validator (embedded resources)', () => {
    expect(validateObjectMeta({ name: 'A_b' }, { namespaced: false, nameValidator: validatePathSegmentName, path: 'spec.template.metadata' })).toEqual([]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = { name: 'a', namespace: 'n', uid: 'u1', resourceVersion: '5', generation: 2, creationTimestamp: '2024-05-01T10:00:00Z' };

  it('accepts an update that keeps identity fields', () => {
    expect(validateObjectMetaUpdate({ ...old, labels: { x: 'y' } }, old)).toEqual([]);
  });

  it('reports immutable fields like Kubernetes', () => {
    const updated: ObjectMeta = { ...old, name: 'b', namespace: 'm', uid: 'u2', creationTimestamp: '2024-05-02T10:00:00Z' };
    expect(validateObjectMetaUpdate(updated, old).map(String)).toEqual([
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.namespace: Invalid value: "m": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: 2024-05-02 10:00:00 +0000 UTC: field is immutable',
    ]);
  });

  it('requires a resourceVersion and forbids decrementing generation', () => {
    expect(validateObjectMetaUpdate({ ...old, resourceVersion: undefined, generation: 1 }, old).map(String)).toEqual([
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.generation: Invalid value: 1: must not be decremented',
    ]);
  });

  it('forbids new finalizers once deletion started', () => {
    const deleting = { ...old, deletionTimestamp: '2024-05-03T00:00:00Z', finalizers: ['a.io/x'] };
    expect(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting).map(String)).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    ]);
    expect(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting)).toEqual([]);
  });
});
