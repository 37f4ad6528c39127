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

  it('copies what it takes from the patch: writing into the result leaves the patch alone', () => {
    const patch = { spec: { added: { k: [{ v: 1, gone: null }] } }, metadata: { labels: { app: ['x'] } } };
    const patchCopy = structuredClone(patch);
    const out = applyMergePatch(base, patch) as { spec: { added: { k: { v: number }[] } }; metadata: { labels: { app: string[] } } };
    expect(out.spec.added).toEqual({ k: [{ v: 1 }] });
    out.spec.added.k[0]!.v = 2;
    out.metadata.labels.app.push('y');
    expect(patch).toEqual(patchCopy);
  });

  it('keeps a "__proto__" member of a parsed patch as a member', () => {
    const out = applyMergePatch({}, JSON.parse('{"spec":{"__proto__":{"polluted":true}}}')) as { spec: Record<string, unknown> };
    expect(Object.keys(out.spec)).toEqual(['__proto__']);
    expect((out.spec as { polluted?: unknown }).polluted).toBeUndefined();
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

describe('applyMergePatch copy-on-write', () => {
  it('shares the subtrees the patch does not reach and copies the path to the patched member', () => {
    const doc = { metadata: { labels: { a: '1' }, annotations: { b: '2' } }, spec: { x: { y: 1 } } };
    const out = applyMergePatch(doc, { metadata: { labels: { a: '3' } } }) as typeof doc;
    expect(out).toEqual({ metadata: { labels: { a: '3' }, annotations: { b: '2' } }, spec: { x: { y: 1 } } });
    expect(out.spec).toBe(doc.spec);
    expect(out.metadata.annotations).toBe(doc.metadata.annotations);
    expect(out).not.toBe(doc);
    expect(out.metadata).not.toBe(doc.metadata);
    expect(out.metadata.labels).not.toBe(doc.metadata.labels);
    expect(doc.metadata.labels).toEqual({ a: '1' });
  });

  it('works on a deep-frozen document', () => {
    const freeze = (v: unknown): unknown => {
      if (v && typeof v === 'object') {
        for (const c of Object.values(v)) freeze(c);
        Object.freeze(v);
      }
      return v;
    };
    const doc = freeze({ metadata: { labels: { a: '1', gone: 'x' } }, spec: { list: [{ n: 1 }] } });
    expect(applyMergePatch(doc, { metadata: { labels: { gone: null, n: { deep: null, k: 1 } } }, spec: { list: [{ m: null }] } })).toEqual({
      metadata: { labels: { a: '1', n: { k: 1 } } },
      spec: { list: [{}] },
    });
  });
});
