import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './merge-patch.ts';
import { PatchError } from './patch-error.ts';

const base = {
  metadata: { name: 'p', labels: { app: 'web', tier: 'fe' }, annotations: { a: '1' } },
  spec: { containers: [{ name: 'c1', image: 'nginx' }], nodeSelector: { zone: 'a' } },
};

describe('applyMergePatch', () => {
  it.each([
    {
      name: 'adds and changes labels, keeping the others',
      patch: { metadata: { labels: { app: 'db', env: 'prod' } } },
      want: { ...base, metadata: { ...base.metadata, labels: { app: 'db', tier: 'fe', env: 'prod' } } },
    },
    {
      name: 'null deletes a label; deleting a missing key is a no-op',
      patch: { metadata: { labels: { tier: null, missing: null } } },
      want: { ...base, metadata: { ...base.metadata, labels: { app: 'web' } } },
    },
    {
      name: 'null deletes a whole map',
      patch: { metadata: { annotations: null } },
      want: { ...base, metadata: { name: 'p', labels: base.metadata.labels } },
    },
    {
      name: 'lists are replaced, not merged',
      patch: { spec: { containers: [{ name: 'c2', image: 'redis' }] } },
      want: { ...base, spec: { ...base.spec, containers: [{ name: 'c2', image: 'redis' }] } },
    },
    {
      name: 'new values lose their null members, also inside list items',
      patch: { spec: { tolerations: [{ key: 'k', value: null }], extra: { a: null, b: 1 } } },
      want: { ...base, spec: { ...base.spec, tolerations: [{ key: 'k' }], extra: { b: 1 } } },
    },
    {
      name: 'a scalar replaced by an object loses the object nulls',
      patch: { metadata: { name: { x: null, y: 2 } } },
      want: { ...base, metadata: { ...base.metadata, name: { y: 2 } } },
    },
  ])('$name', ({ patch, want }) => {
    expect(applyMergePatch(base, patch)).toEqual(want);
  });

  it('does not mutate its inputs', () => {
    const doc = structuredClone(base);
    const patch = { metadata: { labels: { app: null } }, spec: { x: { y: null } } };
    const patchCopy = structuredClone(patch);
    applyMergePatch(doc, patch);
    expect(doc).toEqual(base);
    expect(patch).toEqual(patchCopy);
  });

  it('an array patch replaces the document (kube then fails to decode it)', () => {
    expect(applyMergePatch(base, [1, { a: null }])).toEqual([1, {}]);
  });

  it.each([null, 'str', 5])('refuses a %j patch with 400 "Invalid JSON Patch"', (patch) => {
    let err: unknown;
    try {
      applyMergePatch(base, patch);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatchError);
    expect(err).toMatchObject({ httpCode: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' });
  });
});
