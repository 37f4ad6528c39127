import { describe, expect, it } from 'vitest';
import type { Schema } from '../schema/types.ts';
import type { KubeObject, ManagedFieldsEntry } from '../api/object.ts';
import { MAX_UPDATE_MANAGERS, trackUpdate } from './managed-fields-update.ts';
import { apply } from './server-side-apply.ts';

const schema: Schema = {
  type: 'object',
  properties: {
    spec: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};
const apiVersion = 'kuscia.secretflow/v1alpha1';
const opts = (manager: string, now: string, extra: Record<string, unknown> = {}) => ({ manager, schema, apiVersion, now, ...extra });

function job(spec: Record<string, unknown>, metadata: Partial<KubeObject['metadata']> = {}, status?: Record<string, unknown>): KubeObject {
  const o: KubeObject = { apiVersion, kind: 'KusciaJob', metadata: { name: 'j', namespace: 'ns', ...metadata }, spec };
  if (status) o.status = status;
  return o;
}

function withFields(obj: KubeObject, managedFields: ManagedFieldsEntry[]): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u1', managedFields } };
}

describe('trackUpdate', () => {
  it('on create attributes every set field, with "." for maps that appeared', () => {
    const entries = trackUpdate(undefined, job({ a: '1' }, { labels: { app: 'x' } }), opts('kubectl-create', '2024-01-01T00:00:00.999Z'));
    expect(entries).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion,
        time: '2024-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { '.': {}, 'f:a': {} } },
      },
    ]);
  });

  it('moves changed fields to the writer and leaves untouched entries (and their times) alone', () => {
    const v1 = job({ a: '1', b: '1' });
    const live = withFields(v1, trackUpdate(undefined, v1, opts('creator', '2024-01-01T00:00:00Z')));
    const v2 = job({ a: '2', b: '1' });
    const entries = trackUpdate(live, { ...v2, metadata: live.metadata }, opts('editor', '2024-01-02T00:00:00Z'));
    expect(entries).toEqual([
      { manager: 'creator', operation: 'Update', apiVersion, time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { '.': {}, 'f:b': {} } } },
      { manager: 'editor', operation: 'Update', apiVersion, time: '2024-01-02T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:a': {} } } },
    ]);
  });

  it('a write that changes nothing keeps managedFields as they were', () => {
    const v1 = job({ a: '1' });
    const first = trackUpdate(undefined, v1, opts('creator', '2024-01-01T00:00:00Z'));
    const live = withFields(v1, first);
    expect(trackUpdate(live, live, opts('someone-else', '2024-02-01T00:00:00Z'))).toEqual(first);
  });

  it('removed fields leave their owners; owners left with nothing disappear', () => {
    const v1 = job({ a: '1', b: '1' });
    let live = withFields(v1, trackUpdate(undefined, v1, opts('creator', '2024-01-01T00:00:00Z')));
    live = withFields(live, trackUpdate(live, { ...live, spec: { a: '1', b: '2' } }, opts('b-owner', '2024-01-02T00:00:00Z')));
    live = { ...live, spec: { a: '1', b: '2' } };
    const entries = trackUpdate(live, { ...live, spec: { a: '1' } }, opts('cleaner', '2024-01-03T00:00:00Z'));
    expect(entries.map((e) => e.manager)).toEqual(['creator']);
    expect(entries[0].fieldsV1).toEqual({ 'f:spec': { '.': {}, 'f:a': {} } });
  });

  it('does not start tracking an existing object that has no managedFields', () => {
    const live = { ...job({ a: '1' }), metadata: { name: 'j', uid: 'u1' } };
    expect(trackUpdate(live, { ...live, spec: { a: '2' } }, opts('x', '2024-01-01T00:00:00Z'))).toEqual([]);
  });

  it('records the subresource and ignores reset fields', () => {
    const v1 = job({ a: '1' });
    const live = withFields(v1, trackUpdate(undefined, v1, opts('creator', '2024-01-01T00:00:00Z', { resetFields: [['status']] })));
    const entries = trackUpdate(live, { ...live, status: { phase: 'Running' } }, opts('controller', '2024-01-02T00:00:00Z', { subresource: 'status', resetFields: [['spec']] }));
    expect(entries[1]).toEqual({
      manager: 'controller',
      operation: 'Update',
      apiVersion,
      time: '2024-01-02T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { '.': {}, 'f:phase': {} } },
      subresource: 'status',
    });
  });

  it('sorts Apply entries before Update entries, then by time', () => {
    const v1 = job({ a: '1' });
    let live = withFields(v1, trackUpdate(undefined, v1, opts('early-updater', '2024-01-01T00:00:00Z')));
    live = withFields(live, apply(live, job({ b: '1' }), { ...opts('applier', '2024-01-03T00:00:00Z'), force: false }).managedFields);
    live = { ...live, spec: { a: '1', b: '1' } };
    const entries = trackUpdate(live, { ...live, spec: { a: '2', b: '1' } }, opts('z-updater', '2023-12-31T00:00:00Z'));
    // early-updater keeps the spec node it created; the Update entries sort by time, not name.
    expect(entries.map((e) => `${e.operation}:${e.manager}`)).toEqual(['Apply:applier', 'Update:z-updater', 'Update:early-updater']);
  });

  it(`keeps at most ${MAX_UPDATE_MANAGERS} Update entries, folding the oldest into ancient-changes`, () => {
    const keys = Array.from({ length: MAX_UPDATE_MANAGERS + 2 }, (_, i) => `k${i}`);
    let live = withFields(job({}), []);
    live.metadata.managedFields = undefined;
    let spec: Record<string, string> = {};
    const wide: Schema = { type: 'object', properties: { spec: { type: 'object', additionalProperties: { type: 'string' } } } };
    keys.forEach((k, i) => {
      const nextSpec = { ...spec, [k]: 'v' };
      const next = { ...live, spec: nextSpec };
      const time = `2024-01-01T00:00:${String(i).padStart(2, '0')}Z`;
      const managedFields = trackUpdate(i === 0 ? undefined : live, next, { manager: `m${i}`, schema: wide, apiVersion, now: time });
      live = withFields(next, managedFields);
      spec = nextSpec;
    });
    const entries = live.metadata.managedFields!;
    expect(entries).toHaveLength(MAX_UPDATE_MANAGERS);
    expect(entries[0].manager).toBe('ancient-changes');
    expect(entries[0].fieldsV1).toEqual({ 'f:spec': { '.': {}, 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } });
    expect(entries.slice(1).map((e) => e.manager)).toEqual(keys.slice(3).map((_, i) => `m${i + 3}`));
  });

  it('never fails a write: an object that cannot be typed loses its managedFields', () => {
    const listMap: Schema = { type: 'object', properties: { spec: { type: 'object', properties: { items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } } } } } };
    const v1 = job({ items: [{ name: 'a' }] });
    const live = withFields(v1, trackUpdate(undefined, v1, { ...opts('creator', '2024-01-01T00:00:00Z'), schema: listMap }));
    expect(live.metadata.managedFields).toHaveLength(1);
    expect(trackUpdate(live, { ...live, spec: { items: [{}] } }, { ...opts('x', '2024-01-02T00:00:00Z'), schema: listMap })).toEqual([]);
  });
});
