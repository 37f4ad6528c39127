import { describe, expect, it } from 'vitest';
import { ownerFieldsText } from './owner-fields-text.ts';

const owner = { apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'TaskResourceGroup', name: 'g', uid: 'u1', controller: true, blockOwnerDeletion: true };
const managedFields = [{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:ownerReferences': { '.': {}, 'k:{"uid":"u1"}': {} } } } }];

function text(metadata: Record<string, unknown>, rest: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'X', metadata, ...rest });
}

describe('ownerFieldsText', () => {
  it('is the raw JSON of the top-level ownerReferences and finalizers, whatever else the object holds', () => {
    const t = text(
      { name: 'a', labels: { 'x/y': '"}]' }, annotations: { note: '\\"ownerReferences\\":[' }, ownerReferences: [owner], finalizers: ['f/x'], managedFields },
      { spec: { template: { metadata: { ownerReferences: [{ uid: 'other' }], finalizers: ['nested'] } } } },
    );
    expect(ownerFieldsText(t)).toBe(`${JSON.stringify([owner])}\u0000["f/x"]`);
  });

  it('changes with the owners or finalizers and stays the same when only other fields change', () => {
    const base = ownerFieldsText(text({ name: 'a', resourceVersion: '1', ownerReferences: [owner] }, { status: { phase: 'A' } }));
    expect(ownerFieldsText(text({ name: 'a', resourceVersion: '2', ownerReferences: [owner], labels: { l: 'v' } }, { status: { phase: 'B' } }))).toBe(base);
    expect(ownerFieldsText(text({ name: 'a', ownerReferences: [{ ...owner, blockOwnerDeletion: false }] }))).not.toBe(base);
    expect(ownerFieldsText(text({ name: 'a', ownerReferences: [owner], finalizers: ['orphan'] }))).not.toBe(base);
    expect(ownerFieldsText(text({ name: 'a' }))).not.toBe(base);
    // A nested list of the same name is not the object's own.
    expect(ownerFieldsText(text({ name: 'a' }, { spec: { ownerReferences: [owner] } }))).toBe(ownerFieldsText(text({ name: 'a' })));
  });

  it('gives up (undefined) on an object being deleted and on text it does not expect', () => {
    expect(ownerFieldsText(text({ name: 'a', deletionTimestamp: '2024-01-01T00:00:00Z', ownerReferences: [owner] }))).toBeUndefined();
    expect(ownerFieldsText(JSON.stringify({ apiVersion: 'v1', kind: 'X', metadata: { ownerReferences: [owner] } }, null, 1))).toBeUndefined();
    expect(ownerFieldsText('{"apiVersion":"v1","metadata":{"ownerReferences":[],"ownerReferences":[{"uid":"x"}]}}')).toBeUndefined();
    expect(ownerFieldsText('{"apiVersion":"v1","kind":"X"}')).toBeUndefined();
    expect(ownerFieldsText('{"metadata":{"name":"a"')).toBeUndefined();
  });

  it('reads numbers, booleans and null among the metadata fields', () => {
    expect(ownerFieldsText(text({ generation: 3, x: null, y: true, finalizers: ['a'] }))).toBe('\u0000["a"]');
    expect(ownerFieldsText(text({}))).toBe('\u0000');
  });
});
