import { describe, expect, it } from 'vitest';
import type { Schema } from '../schema/types.ts';
import { PatchError } from './patch-error.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

// A slice of the Pod schema with the strategic-merge extensions kube-apiserver publishes.
const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const mergeList = (mergeKey: string, items: Schema, strategy = 'merge'): Schema => ({
  type: 'array',
  items,
  'x-kubernetes-patch-strategy': strategy,
  'x-kubernetes-patch-merge-key': mergeKey,
});
const container: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    image: { type: 'string' },
    args: { type: 'array', items: { type: 'string' } },
    env: mergeList('name', { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } }),
    ports: mergeList('containerPort', { type: 'object', properties: { containerPort: { type: 'integer' }, protocol: { type: 'string' } } }),
    volumeMounts: mergeList('mountPath', { type: 'object', properties: { name: { type: 'string' }, mountPath: { type: 'string' } } }),
  },
};
const podSchema: Schema = {
  type: 'object',
  properties: {
    metadata: {
      type: 'object',
      properties: {
        labels: stringMap,
        annotations: stringMap,
        finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
      },
    },
    spec: {
      type: 'object',
      properties: {
        containers: mergeList('name', container),
        volumes: mergeList('name', { type: 'object', properties: { name: { type: 'string' } } }, 'merge,retainKeys'),
        tolerations: { type: 'array', items: { type: 'object' } },
        nodeSelector: stringMap,
      },
    },
  },
};

function pod(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { app: 'web', tier: 'fe' }, annotations: { note: 'x' }, finalizers: ['a', 'b'] },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'app:1',
          args: ['--x'],
          env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
          ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }],
        },
        { name: 'sidecar', image: 'envoy:1' },
      ],
      volumes: [{ name: 'conf', configMap: { name: 'cm' } }, { name: 'data', emptyDir: {} }],
      tolerations: [{ key: 'a' }, { key: 'b' }],
      nodeSelector: { zone: 'z1', disk: 'ssd' },
    },
  };
}

const smp = (patch: object, doc: object = pod(), schema: Schema | undefined = podSchema): any => applyStrategicMergePatch(doc, patch, schema);

function patchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}

describe('applyStrategicMergePatch on a Pod', () => {
  it.each([
    {
      name: 'containers merge by name: only the named container changes',
      patch: { spec: { containers: [{ name: 'sidecar', image: 'envoy:2' }] } },
      check: (r: any) => {
        expect(r.spec.containers.map((c: any) => [c.name, c.image])).toEqual([['app', 'app:1'], ['sidecar', 'envoy:2']]);
        expect(r.spec.containers[0].env).toHaveLength(2);
      },
    },
    {
      name: 'a new container is merged in ahead of the server-only ones (no $setElementOrder)',
      patch: { spec: { containers: [{ name: 'init', image: 'busybox' }] } },
      check: (r: any) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['init', 'app', 'sidecar']),
    },
    {
      name: 'env merges by name inside the container',
      patch: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }] } },
      check: (r: any) => expect(r.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]),
    },
    {
      name: 'ports merge by containerPort',
      patch: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 443, protocol: 'UDP' }] }] } },
      check: (r: any) => expect(r.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'UDP' }]),
    },
    {
      name: 'volumes merge by name',
      patch: { spec: { volumes: [{ name: 'data', emptyDir: { medium: 'Memory' } }] } },
      check: (r: any) => expect(r.spec.volumes).toEqual([{ name: 'conf', configMap: { name: 'cm' } }, { name: 'data', emptyDir: { medium: 'Memory' } }]),
    },
    {
      name: '$retainKeys switches a volume source (configMap → secret)',
      patch: { spec: { volumes: [{ name: 'conf', $retainKeys: ['name', 'secret'], secret: { secretName: 's' } }] } },
      check: (r: any) => expect(r.spec.volumes[0]).toEqual({ name: 'conf', secret: { secretName: 's' } }),
    },
    {
      name: '$patch: delete removes a container',
      patch: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } },
      check: (r: any) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['app']),
    },
    {
      name: '$patch: delete of a missing container is a no-op',
      patch: { spec: { containers: [{ name: 'ghost', $patch: 'delete' }] } },
      check: (r: any) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['app', 'sidecar']),
    },
    {
      name: '$patch: replace in a list makes the patch items the whole list',
      patch: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } },
      check: (r: any) => expect(r.spec.containers).toEqual([{ name: 'only', image: 'x' }]),
    },
    {
      name: '$patch: replace on a map replaces it instead of merging',
      patch: { spec: { nodeSelector: { $patch: 'replace', zone: 'z2' } } },
      check: (r: any) => expect(r.spec.nodeSelector).toEqual({ zone: 'z2' }),
    },
    {
      name: '$patch: delete on a map empties it',
      patch: { spec: { nodeSelector: { $patch: 'delete' } } },
      check: (r: any) => expect(r.spec.nodeSelector).toEqual({}),
    },
    {
      name: '$setElementOrder reorders the containers',
      patch: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] } },
      check: (r: any) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['sidecar', 'app']),
    },
    {
      name: '$setElementOrder places a new container where the list says',
      patch: {
        spec: {
          '$setElementOrder/containers': [{ name: 'app' }, { name: 'new' }, { name: 'sidecar' }],
          containers: [{ name: 'new', image: 'n' }],
        },
      },
      check: (r: any) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['app', 'new', 'sidecar']),
    },
    {
      name: 'kubectl-style env removal: $setElementOrder plus $patch: delete',
      patch: { spec: { containers: [{ name: 'app', '$setElementOrder/env': [{ name: 'B' }], env: [{ name: 'A', $patch: 'delete' }] }] } },
      check: (r: any) => expect(r.spec.containers[0].env).toEqual([{ name: 'B', value: '2' }]),
    },
    {
      name: 'a primitive merge list (finalizers) is unioned',
      patch: { metadata: { finalizers: ['b', 'c'] } },
      check: (r: any) => expect(r.metadata.finalizers).toEqual(['a', 'b', 'c']),
    },
    {
      name: '$deleteFromPrimitiveList removes finalizers',
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      check: (r: any) => expect(r.metadata.finalizers).toEqual(['b']),
    },
    {
      name: 'labels and annotations merge; null deletes a key',
      patch: { metadata: { labels: { app: 'db', tier: null, 'kuscia.secretflow/party': 'alice' }, annotations: { note: null } } },
      check: (r: any) => {
        expect(r.metadata.labels).toEqual({ app: 'db', 'kuscia.secretflow/party': 'alice' });
        expect(r.metadata.annotations).toEqual({});
      },
    },
    {
      name: 'null on a key the object lacks is ignored',
      patch: { metadata: { labels: { ghost: null } }, spec: { hostname: null } },
      check: (r: any) => {
        expect(r.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
        expect(r.spec).not.toHaveProperty('hostname');
      },
    },
    {
      name: 'lists without a patch strategy are replaced (args, tolerations)',
      patch: { spec: { tolerations: [{ key: 'c' }], containers: [{ name: 'app', args: ['--y'] }] } },
      check: (r: any) => {
        expect(r.spec.tolerations).toEqual([{ key: 'c' }]);
        expect(r.spec.containers[0].args).toEqual(['--y']);
      },
    },
    {
      name: 'a new value drops nulls and directives nested inside it',
      patch: { spec: { affinity: { a: null, b: { $patch: 'delete' }, c: { d: 1, e: null } } } },
      check: (r: any) => expect(r.spec.affinity).toEqual({ c: { d: 1 } }),
    },
    {
      name: 'an empty patch list leaves a merge list alone',
      patch: { spec: { containers: [] } },
      check: (r: any) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['app', 'sidecar']),
    },
  ])('$name', ({ patch, check }) => {
    check(smp(patch));
  });

  it('does not mutate the document or the patch', () => {
    const doc = pod();
    const patch = { spec: { containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }, { name: 'new', image: 'n' }] } };
    const patchCopy = structuredClone(patch);
    const result = smp(patch, doc);
    expect(doc).toEqual(pod());
    expect(patch).toEqual(patchCopy);
    result.spec.containers.find((c: any) => c.name === 'new').image = 'changed';
    expect(patch.spec.containers[1].image).toBe('n');
  });

  it('without a schema, maps merge like a merge patch and lists are replaced', () => {
    const r: any = applyStrategicMergePatch(pod(), { spec: { nodeSelector: { disk: null, gpu: 'yes' }, containers: [{ name: 'x' }] } }, undefined);
    expect(r.spec.nodeSelector).toEqual({ zone: 'z1', gpu: 'yes' });
    expect(r.spec.containers).toEqual([{ name: 'x' }]);
  });

  it('a top-level $patch: replace replaces the whole object', () => {
    expect(smp({ $patch: 'replace', kind: 'Pod', metadata: { name: 'q' } })).toEqual({ kind: 'Pod', metadata: { name: 'q' } });
  });
});

describe('strategic merge patch errors', () => {
  it.each([
    {
      name: '$patch: merge on a map (unknown patch type, 500)',
      patch: { spec: { nodeSelector: { $patch: 'merge', a: 'b' } } },
      want: { httpCode: 500, reason: '', message: 'unknown patch type: merge in map: map[$patch:merge a:b]' },
    },
    {
      name: '$patch: merge inside a merge list (500)',
      patch: { spec: { containers: [{ name: 'app', $patch: 'merge' }] } },
      want: { httpCode: 500, reason: '', message: 'merging lists cannot yet be specified in the patch' },
    },
    {
      name: 'a merge-list item without its merge key (500)',
      patch: { spec: { containers: [{ image: 'x' }] } },
      want: { httpCode: 500, reason: '', message: 'map: map[image:x] does not contain declared merge key: name' },
    },
    {
      name: '$retainKeys that is not a list (400)',
      patch: { spec: { volumes: [{ name: 'conf', $retainKeys: 'name' }] } },
      want: { httpCode: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    },
    {
      name: 'a patch setting a key missing from $retainKeys (400)',
      patch: { spec: { volumes: [{ name: 'conf', $retainKeys: ['name'], secret: {} }] } },
      want: { httpCode: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    },
    {
      name: 'a $deleteFromPrimitiveList key without a field (400)',
      patch: { metadata: { $deleteFromPrimitiveList: ['a'] } },
      want: { httpCode: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' },
    },
    {
      name: 'a $setElementOrder key without a field (400)',
      patch: { metadata: { $setElementOrderfinalizers: ['a'] } },
      want: { httpCode: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list' },
    },
    {
      name: 'a patch list out of $setElementOrder order (500)',
      patch: { spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }], containers: [{ name: 'sidecar' }, { name: 'app' }] } },
      want: { httpCode: 500, reason: '' },
    },
  ])('$name', ({ patch, want }) => {
    expect(patchError(() => smp(patch))).toMatchObject(want);
  });

  it('a list of lists answers the generic 422', () => {
    const doc = { metadata: { finalizers: [] } };
    expect(patchError(() => smp({ metadata: { finalizers: [['x']] } }, doc))).toMatchObject({
      httpCode: 422,
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
    });
  });

  it('list items of different types answer 500', () => {
    expect(patchError(() => smp({ metadata: { finalizers: [1] } }))).toMatchObject({ httpCode: 500, message: 'list element types are not identical: [[a b] [1]]' });
  });
});

// Cases from kubernetes' strategicpatch tests (patch_test.go), the three-way patch applied to
// the current object, on the test type MergeItem.
const mergeItem: Schema = { type: 'object', properties: {} };
mergeItem.properties = {
  name: { type: 'string' },
  value: { type: 'string' },
  other: { type: 'string' },
  mergingList: mergeList('name', mergeItem),
  nonMergingList: { type: 'array', items: mergeItem },
  mergingIntList: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-patch-strategy': 'merge' },
  retainKeysMap: {
    type: 'object',
    'x-kubernetes-patch-strategy': 'retainKeys',
    properties: { name: { type: 'string' }, value: { type: 'string' }, other: { type: 'string' }, simpleMap: stringMap },
  },
};

describe('kubernetes strategicpatch test cases', () => {
  it.each([
    {
      name: 'merge lists of maps',
      current: { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }] },
      patch: {
        '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
        mergingList: [{ name: '4', value: '4' }, { name: '3', value: '3' }],
      },
      result: { mergingList: [{ name: '4', value: '4' }, { name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }, { name: '3', value: '3' }] },
    },
    {
      name: 'add map and delete map from merging list',
      current: { mergingList: [{ name: '1' }, { name: '2', other: 'b' }, { name: '4', other: 'c' }] },
      patch: { '$setElementOrder/mergingList': [{ name: '2' }, { name: '3' }], mergingList: [{ name: '3' }, { name: '1', $patch: 'delete' }] },
      result: { mergingList: [{ name: '2', other: 'b' }, { name: '4', other: 'c' }, { name: '3' }] },
    },
    {
      name: 'delete missing map from merging list with conflict',
      current: { mergingList: [{ name: '3', other: 'a' }] },
      patch: { '$setElementOrder/mergingList': [{ name: '2' }], mergingList: [{ name: '2' }, { name: '1', $patch: 'delete' }] },
      result: { mergingList: [{ name: '2' }, { name: '3', other: 'a' }] },
    },
    {
      name: 'nested patch merge with empty list',
      current: { name: 'hi', mergingList: [{ name: 'hello2' }] },
      patch: { '$setElementOrder/mergingList': [{ name: 'hello' }, { name: 'doesntexist' }], mergingList: [{ name: 'hello' }] },
      result: { name: 'hi', mergingList: [{ name: 'hello' }, { name: 'hello2' }] },
    },
    {
      name: 'delete items in lists of scalars',
      current: { mergingIntList: [1, 2, 3, 4] },
      patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
      result: { mergingIntList: [1, 2, 4] },
    },
    {
      name: 'delete all duplicate items in lists of scalars',
      current: { mergingIntList: [1, 2, 3, 3, 4] },
      patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
      result: { mergingIntList: [1, 2, 4] },
    },
    {
      name: 'merge lists of scalars',
      current: { mergingIntList: [1, 2, 4] },
      patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3] },
      result: { mergingIntList: [1, 2, 3, 4] },
    },
    {
      name: 'add and delete an item in a int list and preserve order',
      current: { mergingIntList: [1, 2, 3] },
      patch: { '$setElementOrder/mergingIntList': [4, 2, 1], mergingIntList: [4], '$deleteFromPrimitiveList/mergingIntList': [3] },
      result: { mergingIntList: [4, 2, 1] },
    },
    {
      name: 'set elements order in a int list with server-only items 2',
      current: { mergingIntList: [1, 2, 9, 3, 4] },
      patch: { '$setElementOrder/mergingIntList': [2, 1, 4, 3] },
      result: { mergingIntList: [2, 1, 9, 4, 3] },
    },
    {
      name: 'set elements order in a int list with server-only items 3',
      current: { mergingIntList: [1, 2, 7, 9, 8, 3, 4] },
      patch: { '$setElementOrder/mergingIntList': [2, 1, 4, 3] },
      result: { mergingIntList: [2, 1, 7, 9, 8, 4, 3] },
    },
    {
      name: 'behavior of set element order for a merging list with duplicate',
      current: { mergingList: [{ name: '1' }, { name: '2', value: 'dup1' }, { name: '3' }, { name: '2', value: 'dup2' }, { name: '4' }] },
      patch: { '$setElementOrder/mergingList': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }, { name: '2' }] },
      result: { mergingList: [{ name: '2', value: 'dup1' }, { name: '2', value: 'dup2' }, { name: '1' }, { name: '4' }, { name: '3' }] },
    },
    {
      name: 'retainKeys map deletes a field and clears a field',
      current: { retainKeysMap: { name: 'foo', value: 'bar', other: 'a' } },
      patch: { retainKeysMap: { $retainKeys: ['name'], value: null } },
      result: { retainKeysMap: { name: 'foo' } },
    },
    {
      name: 'retainKeys map adds a field in a nested map',
      current: { retainKeysMap: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key3: 'c' } } },
      patch: { retainKeysMap: { $retainKeys: ['name', 'simpleMap', 'value'], simpleMap: { key2: 'b' } } },
      result: { retainKeysMap: { name: 'foo', value: 'bar', simpleMap: { key1: 'a', key3: 'c', key2: 'b' } } },
    },
    {
      name: 'non-merging lists are replaced',
      current: { nonMergingList: [{ name: '1' }, { name: '2' }] },
      patch: { nonMergingList: [{ name: '3' }] },
      result: { nonMergingList: [{ name: '3' }] },
    },
  ])('$name', ({ current, patch, result }) => {
    expect(applyStrategicMergePatch(current, patch, mergeItem)).toEqual(result);
  });
});
