import { describe, expect, it } from 'vitest';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.ts';
import { PatchError } from './patch-error.ts';

function pod(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { app: 'web', 'kuscia.secretflow/role': 'host' }, finalizers: ['a', 'b'] },
    spec: { containers: [{ name: 'c1', image: 'nginx' }, { name: 'c2', image: 'redis' }] },
  };
}

function catchPatchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}

describe('applyJsonPatch', () => {
  it.each([
    {
      name: 'add a label whose key contains a slash (~1)',
      patch: [{ op: 'add', path: '/metadata/labels/a~1b', value: 'x' }],
      check: (r: any) => expect(r.metadata.labels['a/b']).toBe('x'),
    },
    {
      name: 'replace a label addressed with ~1',
      patch: [{ op: 'replace', path: '/metadata/labels/kuscia.secretflow~1role', value: 'guest' }],
      check: (r: any) => expect(r.metadata.labels['kuscia.secretflow/role']).toBe('guest'),
    },
    {
      name: 'remove a label addressed with ~1',
      patch: [{ op: 'remove', path: '/metadata/labels/kuscia.secretflow~1role' }],
      check: (r: any) => expect(r.metadata.labels).toEqual({ app: 'web' }),
    },
    {
      name: '~0 decodes to ~ and ~01 to the literal ~1',
      patch: [
        { op: 'add', path: '/metadata/labels/a~0b', value: '1' },
        { op: 'add', path: '/metadata/labels/c~01', value: '2' },
      ],
      check: (r: any) => expect(r.metadata.labels).toMatchObject({ 'a~b': '1', 'c~1': '2' }),
    },
    {
      name: '- appends to an array',
      patch: [{ op: 'add', path: '/metadata/finalizers/-', value: 'c' }],
      check: (r: any) => expect(r.metadata.finalizers).toEqual(['a', 'b', 'c']),
    },
    {
      name: 'an index inserts before the element there',
      patch: [{ op: 'add', path: '/metadata/finalizers/1', value: 'x' }],
      check: (r: any) => expect(r.metadata.finalizers).toEqual(['a', 'x', 'b']),
    },
    {
      name: 'index == length appends',
      patch: [{ op: 'add', path: '/metadata/finalizers/2', value: 'x' }],
      check: (r: any) => expect(r.metadata.finalizers).toEqual(['a', 'b', 'x']),
    },
    {
      name: 'negative indices count from the end (evanphx/json-patch v4)',
      patch: [{ op: 'remove', path: '/metadata/finalizers/-1' }],
      check: (r: any) => expect(r.metadata.finalizers).toEqual(['a']),
    },
    {
      name: 'replace inside an array element',
      patch: [{ op: 'replace', path: '/spec/containers/1/image', value: 'redis:7' }],
      check: (r: any) => expect(r.spec.containers[1]).toEqual({ name: 'c2', image: 'redis:7' }),
    },
    {
      name: 'move a value',
      patch: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/tier' }],
      check: (r: any) => expect(r.metadata.labels).toEqual({ 'kuscia.secretflow/role': 'host', tier: 'web' }),
    },
    {
      name: 'copy a value deeply',
      patch: [{ op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' }, { op: 'replace', path: '/spec/containers/2/name', value: 'c3' }],
      check: (r: any) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['c1', 'c2', 'c3']),
    },
    {
      name: 'add on an existing member overwrites it',
      patch: [{ op: 'add', path: '/metadata/labels/app', value: 'db' }],
      check: (r: any) => expect(r.metadata.labels.app).toBe('db'),
    },
    {
      name: 'test then replace (compare-and-swap)',
      patch: [{ op: 'test', path: '/metadata/labels/app', value: 'web' }, { op: 'replace', path: '/metadata/labels/app', value: 'db' }],
      check: (r: any) => expect(r.metadata.labels.app).toBe('db'),
    },
    {
      name: 'test compares objects regardless of key order',
      patch: [{ op: 'test', path: '/spec/containers/0', value: { image: 'nginx', name: 'c1' } }],
      check: (r: any) => expect(r.spec.containers[0].name).toBe('c1'),
    },
    {
      name: 'test with null value passes on a missing member',
      patch: [{ op: 'test', path: '/metadata/annotations', value: null }],
      check: (r: any) => expect(r.metadata.annotations).toBeUndefined(),
    },
    {
      name: 'replace of the whole document',
      patch: [{ op: 'replace', path: '', value: { kind: 'Pod', metadata: { name: 'q' } } }],
      check: (r: any) => expect(r).toEqual({ kind: 'Pod', metadata: { name: 'q' } }),
    },
  ])('$name', ({ patch, check }) => {
    check(applyJsonPatch(pod(), patch));
  });

  it('does not mutate the document or the patch', () => {
    const doc = pod();
    const value = { name: 'c3', image: 'busybox' };
    const patch = [{ op: 'add', path: '/spec/containers/-', value }];
    const result = applyJsonPatch(doc, patch) as any;
    expect(doc).toEqual(pod());
    result.spec.containers[2].image = 'changed';
    expect(value.image).toBe('busybox');
  });

  it.each([
    { name: 'failed test', patch: [{ op: 'test', path: '/metadata/labels/app', value: 'db' }], detail: 'testing value /metadata/labels/app failed' },
    { name: 'add below a missing parent', patch: [{ op: 'add', path: '/metadata/annotations/x', value: 'y' }], detail: 'doc is missing path' },
    { name: 'replace of a missing key', patch: [{ op: 'replace', path: '/metadata/labels/nope', value: 'y' }], detail: 'doc is missing key' },
    { name: 'remove of a missing key', patch: [{ op: 'remove', path: '/metadata/labels/nope' }], detail: 'nonexistent key' },
    { name: 'index out of range', patch: [{ op: 'add', path: '/metadata/finalizers/5', value: 'x' }], detail: 'invalid index' },
    { name: 'unknown operation', patch: [{ op: 'merge', path: '/metadata' }], detail: 'Unexpected kind: merge' },
    { name: 'operation without path', patch: [{ op: 'add', value: 1 }], detail: 'missing path' },
  ])('answers 422 Invalid for a $name, like kube-apiserver', ({ patch, detail }) => {
    const doc = pod();
    const err = catchPatchError(() => applyJsonPatch(doc, patch));
    expect(err.httpCode).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe('the server rejected our request due to an error in our request');
    expect(err.detail).toContain(detail);
    expect(err.toApiError().toStatus()).toMatchObject({ code: 422, reason: 'Invalid', details: {} });
    expect(doc).toEqual(pod());
  });

  it('answers 400 BadRequest when the patch is not a list of operations', () => {
    const notList = catchPatchError(() => applyJsonPatch(pod(), { op: 'add' }));
    expect([notList.httpCode, notList.reason]).toEqual([400, 'BadRequest']);
    expect(notList.message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    const badOp = catchPatchError(() => applyJsonPatch(pod(), ['add']));
    expect(badOp.httpCode).toBe(400);
    expect(badOp.message).toContain('jsonpatch.Operation');
  });

  it('answers 413 beyond the maximum number of operations', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }));
    const err = catchPatchError(() => applyJsonPatch(pod(), ops));
    expect(err.httpCode).toBe(413);
    expect(err.reason).toBe('RequestEntityTooLarge');
    expect(err.message).toBe('Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
  });
});
