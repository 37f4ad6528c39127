import { describe, expect, it } from 'vitest';
import type { Schema } from '../schema/types.ts';
import type { KubeObject } from '../api/object.ts';
import { apply, ApplyConflictError, ApplyInvalidError, LAST_APPLIED_ANNOTATION, trackUpdate } from './server-side-apply.ts';

const configMapSchema: Schema = {
  type: 'object',
  properties: {
    data: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const deploymentSchema: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        containers: {
          type: 'array',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, image: { type: 'string' }, args: { type: 'array', items: { type: 'string' } } },
          },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        command: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

const T0 = '2024-05-01T10:00:00.123Z';
const T1 = '2024-05-01T11:00:00Z';

function cm(data: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns', ...extra }, data };
}

function deploy(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns' }, spec };
}

const cmOpts = (manager: string, now = T0, force = false) => ({ manager, force, schema: configMapSchema, apiVersion: 'v1', kind: 'ConfigMap', now });
const dOpts = (manager: string, now = T0, force = false) => ({ manager, force, schema: deploymentSchema, apiVersion: 'apps/v1', kind: 'Deployment', now });

/** What the store would hold: the live object plus server-set metadata. */
function stored(obj: KubeObject): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'uid-1', resourceVersion: '1', creationTimestamp: T0 } };
}

describe('apply: create', () => {
  it('creates the object and records an Apply entry owning exactly the applied fields', () => {
    const { object, managedFields } = apply(undefined, cm({ a: '1' }, { labels: { app: 'x' } }), cmOpts('kubectl'));
    expect(object.data).toEqual({ a: '1' });
    expect(object.metadata.labels).toEqual({ app: 'x' });
    expect(managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2024-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
      },
    ]);
    expect(object.metadata.managedFields).toEqual(managedFields);
  });
});

describe('apply: repeated and shrinking configurations', () => {
  it('applying the same configuration twice changes nothing, not even the entry time', () => {
    const first = stored(apply(undefined, cm({ a: '1' }), cmOpts('kubectl')).object);
    const second = apply(first, cm({ a: '1' }), cmOpts('kubectl', T1));
    expect(second.object).toEqual(first);
    expect(second.managedFields[0].time).toBe('2024-05-01T10:00:00Z');
  });

  it('removes a field the manager applied before and no longer applies', () => {
    const first = stored(apply(undefined, cm({ a: '1', b: '2' }, { labels: { app: 'x' } }), cmOpts('kubectl')).object);
    const { object, managedFields } = apply(first, cm({ a: '1' }), cmOpts('kubectl', T1));
    expect(object.data).toEqual({ a: '1' });
    expect(object.metadata.labels).toBeUndefined();
    // Server-owned metadata survives the prune.
    expect(object.metadata.uid).toBe('uid-1');
    expect(managedFields[0].fieldsV1).toEqual({ 'f:data': { 'f:a': {} } });
    expect(managedFields[0].time).toBe(T1);
  });

  it('keeps a dropped field that another manager also owns, and leaves unowned fields alone', () => {
    let live = stored(apply(undefined, cm({ a: '1', b: '2' }), cmOpts('kubectl')).object);
    // Another manager sets b to the same value (shared ownership) and adds c.
    live = stored(apply(live, cm({ b: '2', c: '3' }), cmOpts('other')).object);
    const { object } = apply(live, cm({ a: '1' }), cmOpts('kubectl', T1));
    expect(object.data).toEqual({ a: '1', b: '2', c: '3' });
  });
});

describe('apply: conflicts', () => {
  it('conflicts with an Update owner (client-side apply) with the Kubernetes message and causes', () => {
    const created = cm({ key: 'old' });
    const live = stored({ ...created, metadata: { ...created.metadata, managedFields: trackUpdate(undefined, created, { manager: 'kubectl-client-side-apply', schema: configMapSchema, apiVersion: 'v1', now: T0 }) } });
    let caught: unknown;
    try {
      apply(live, cm({ key: 'new' }), cmOpts('my-manager', T1));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApplyConflictError);
    const err = caught as ApplyConflictError;
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key');
    expect(err.code).toBe(409);
    expect(err.toStatus()).toMatchObject({
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.data.key' }] },
    });
    expect(err.conflicts).toEqual([{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', field: '.data.key' }]);
  });

  it('setting the same value as another owner is not a conflict (shared ownership)', () => {
    const live = stored(apply(undefined, cm({ key: 'v' }), cmOpts('a')).object);
    const { managedFields } = apply(live, cm({ key: 'v' }), cmOpts('b', T1));
    expect(managedFields.map((m) => [m.manager, m.fieldsV1])).toEqual([
      ['a', { 'f:data': { 'f:key': {} } }],
      ['b', { 'f:data': { 'f:key': {} } }],
    ]);
  });

  it('lists several conflicts grouped by manager', () => {
    const live = stored(apply(undefined, cm({ x: '1', y: '1' }), cmOpts('first')).object);
    expect(() => apply(live, cm({ x: '2', y: '2' }), cmOpts('second', T1))).toThrow(
      'Apply failed with 2 conflicts: conflicts with "first":\n- .data.x\n- .data.y',
    );
  });

  it('force takes ownership away from the other manager', () => {
    const live = stored(apply(undefined, cm({ key: 'old', other: 'o' }), cmOpts('first')).object);
    const { object, managedFields } = apply(live, cm({ key: 'new' }), cmOpts('second', T1, true));
    expect(object.data).toEqual({ key: 'new', other: 'o' });
    const byManager = Object.fromEntries(managedFields.map((m) => [m.manager, m.fieldsV1]));
    expect(byManager).toEqual({ first: { 'f:data': { 'f:other': {} } }, second: { 'f:data': { 'f:key': {} } } });
    // A later apply by "first" without force now conflicts with "second" (an Apply owner: no "using").
    expect(() => apply(stored(object), cm({ key: 'old', other: 'o' }), cmOpts('first', T1))).toThrow(
      'Apply failed with 1 conflict: conflict with "second": .data.key',
    );
  });

  it('fields of an untracked object belong to "before-first-apply" on the first apply', () => {
    const live = stored(cm({ key: 'v', keep: 'k' }));
    expect(() => apply(live, cm({ key: 'changed' }), cmOpts('tool'))).toThrow(
      'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.key',
    );
    const { object, managedFields } = apply(live, cm({ key: 'v', extra: 'e' }), cmOpts('tool'));
    expect(object.data).toEqual({ key: 'v', keep: 'k', extra: 'e' });
    expect(managedFields.map((m) => `${m.operation}:${m.manager}`)).toEqual(['Apply:tool', 'Update:before-first-apply']);
  });

  it('kubectl --server-side may take over fields its client-side apply set (last-applied migration)', () => {
    const created = cm({ key: 'v1' }, { annotations: { [LAST_APPLIED_ANNOTATION]: '{"apiVersion":"v1","data":{"key":"v1"},"kind":"ConfigMap","metadata":{"name":"cfg","namespace":"ns"}}\n' } });
    const live = stored({ ...created, metadata: { ...created.metadata, managedFields: trackUpdate(undefined, created, { manager: 'kubectl-client-side-apply', schema: configMapSchema, apiVersion: 'v1', now: T0 }) } });
    const { object, managedFields } = apply(live, cm({ key: 'v2' }), cmOpts('kubectl', T1));
    expect(object.data).toEqual({ key: 'v2' });
    expect(JSON.parse(object.metadata.annotations![LAST_APPLIED_ANNOTATION])).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' }, data: { key: 'v2' } });
    expect(managedFields.find((m) => m.manager === 'kubectl')?.fieldsV1).toEqual({ 'f:data': { 'f:key': {} } });
    // Any other manager still conflicts.
    expect(() => apply(live, cm({ key: 'v2' }), cmOpts('helm', T1))).toThrow(ApplyConflictError);
  });
});

describe('apply: list semantics', () => {
  it('merges list-map items by key; two managers own different containers', () => {
    let live = stored(apply(undefined, deploy({ containers: [{ name: 'app', image: 'app:1' }] }), dOpts('team-a')).object);
    live = stored(apply(live, deploy({ containers: [{ name: 'sidecar', image: 'proxy:1' }] }), dOpts('team-b', T1)).object);
    expect((live.spec as { containers: unknown[] }).containers).toEqual([
      { name: 'app', image: 'app:1' },
      { name: 'sidecar', image: 'proxy:1' },
    ]);
    const fields = Object.fromEntries(live.metadata.managedFields!.map((m) => [m.manager, m.fieldsV1]));
    expect(fields['team-a']).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } });
    expect(fields['team-b']).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } });

    // team-a changes its image: no conflict; team-b's container untouched.
    live = stored(apply(live, deploy({ containers: [{ name: 'app', image: 'app:2' }] }), dOpts('team-a', T1)).object);
    expect((live.spec as { containers: unknown[] }).containers).toEqual([
      { name: 'app', image: 'app:2' },
      { name: 'sidecar', image: 'proxy:1' },
    ]);
    // team-b touching team-a's image conflicts at the item's field.
    expect(() => apply(live, deploy({ containers: [{ name: 'app', image: 'evil' }] }), dOpts('team-b', T1))).toThrow(
      'Apply failed with 1 conflict: conflict with "team-a": .spec.containers[name="app"].image',
    );
    // team-b dropping its container removes only that item.
    const dropped = apply(live, deploy({}), dOpts('team-b', T1)).object;
    expect((dropped.spec as { containers: unknown[] }).containers).toEqual([{ name: 'app', image: 'app:2' }]);
  });

  it('merges set lists by value and removes only the values a manager stops applying', () => {
    let live = stored(apply(undefined, deploy({ tags: ['a', 'b'] }), dOpts('one')).object);
    live = stored(apply(live, deploy({ tags: ['c'] }), dOpts('two', T1)).object);
    expect((live.spec as { tags: string[] }).tags).toEqual(['a', 'b', 'c']);
    const next = apply(live, deploy({ tags: ['a'] }), dOpts('one', T1)).object;
    expect((next.spec as { tags: string[] }).tags).toEqual(['a', 'c']);
  });

  it('replaces atomic lists whole and conflicts on them as one field', () => {
    let live = stored(apply(undefined, deploy({ command: ['run', '--fast'] }), dOpts('one')).object);
    live = stored(apply(live, deploy({ command: ['serve'] }), dOpts('one', T1)).object);
    expect((live.spec as { command: string[] }).command).toEqual(['serve']);
    expect(live.metadata.managedFields![0].fieldsV1).toEqual({ 'f:spec': { 'f:command': {} } });
    expect(() => apply(live, deploy({ command: ['other'] }), dOpts('two', T1))).toThrow('conflict with "one": .spec.command');
  });
});

describe('apply: invalid bodies', () => {
  it('rejects a wrong kind, a wrong version and managedFields in the body', () => {
    expect(() => apply(undefined, { ...cm({}), kind: 'Secret' }, cmOpts('m'))).toThrow(new ApplyInvalidError('invalid object type: /v1, Kind=Secret'));
    expect(() => apply(undefined, { ...cm({}), apiVersion: undefined } as KubeObject, { ...cmOpts('m'), kind: undefined })).toThrow(
      'Incorrect version specified in apply patch. Specified patch version: , expected: v1',
    );
    expect(() => apply(undefined, cm({}, { managedFields: [] }), cmOpts('m'))).toThrow('metadata.managedFields must be nil');
    const missingKind = () => apply(undefined, { ...cm({}), kind: undefined } as unknown as KubeObject, cmOpts('m'));
    expect(missingKind).toThrow(ApplyInvalidError);
    expect(missingKind).toThrow(expect.objectContaining({ code: 400, reason: 'BadRequest', message: 'invalid object type: /v1, Kind=' }));
  });

  it('rejects undeclared fields and duplicate list keys like a failed typed patch object', () => {
    expect(() => apply(undefined, { ...cm({}), bogus: 1 }, cmOpts('m'))).toThrow('failed to create typed patch object (ns/cfg; /v1, Kind=ConfigMap): .bogus: field not declared in schema');
    expect(() => apply(undefined, deploy({ containers: [{ name: 'a' }, { name: 'a' }] }), dOpts('m'))).toThrow('.spec.containers: duplicate entries for key [name="a"]');
  });

  it('checks the resulting name against the URL', () => {
    expect(() => apply(undefined, cm({}), { ...cmOpts('m'), name: 'other' })).toThrow('the name of the object (cfg) does not match the name on the URL (other)');
  });
});
