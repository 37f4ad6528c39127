import { describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import { builtinResourceTypes } from '../builtin/resource-types.ts';
import { resourceTypesFromCrd } from '../crd/resource-type-from-crd.ts';
import type { CustomResourceDefinition } from '../crd/crd-types.ts';
import { createMemoryStore } from '../storage/index.ts';
import { RestStorage } from './rest-storage.ts';
import type { WriteOptions } from './write-options.ts';

/**
 * prepareUpdate and merge patches share the parts of the stored object a write does not change
 * instead of copying them. That is only sound while nothing on the update path writes into `old`:
 * here every `old` the registry decodes is deep-frozen, so any such write is a TypeError.
 */
vi.mock('./stored-shape.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./stored-shape.ts')>();
  return { ...actual, decodeStored: (rt: ResourceType, text: string) => deepFreeze(actual.decodeStored(rt, text)) };
});

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

const opts = (fieldManager = 'test'): WriteOptions => ({ dryRun: false, fieldManager, fieldValidation: 'Warn', warnings: [] });

function crd(statusSubresource: boolean, specProps: Record<string, unknown>): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          ...(statusSubresource ? { subresources: { status: {} } } : {}),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: specProps },
                status: { type: 'object', properties: { phase: { type: 'string' }, count: { type: 'integer', default: 0 } } },
              },
            },
          },
        },
      ],
    },
  } as unknown as CustomResourceDefinition;
}

const widgetSpec = {
  size: { type: 'integer', minimum: 1 },
  mode: { type: 'string', default: 'fast' },
  extra: { type: 'object', properties: { note: { type: 'string' }, tag: { type: 'string' } } },
};

function setup() {
  const rest = new RestStorage({ store: createMemoryStore(), now: () => new Date('2024-01-01T00:00:00Z'), namespaceLifecycle: { admitCreate: () => {}, admitDelete: () => {} } });
  const pods = builtinResourceTypes().find((rt) => rt.resource === 'pods' && rt.group === '')!;
  return { rest, pods };
}

const parse = (r: { body: string }) => JSON.parse(r.body) as KubeObject & Record<string, any>;

describe('RestStorage never writes into the stored object it decodes', () => {
  it('pods: merge/strategic/JSON patches, binding, status and main PUTs', () => {
    const { rest, pods } = setup();
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    rest.create(pods, 'ns', structuredClone(pod), opts());
    let got = parse(rest.patch(pods, 'ns', 'p', '', 'merge', { metadata: { labels: { b: '2' } } }, { ...opts('m'), force: false }));
    expect(got.metadata.labels).toEqual({ a: '1', b: '2' });
    got = parse(rest.patch(pods, 'ns', 'p', '', 'merge', { spec: { activeDeadlineSeconds: 30 } }, { ...opts('m'), force: false }));
    expect(got.spec.activeDeadlineSeconds).toBe(30);
    rest.mutate(pods, 'ns', 'p', false, (obj) => ((obj['spec'] as Record<string, unknown>)['nodeName'] = 'n1'));
    got = parse(rest.update(pods, 'ns', 'p', 'status', { ...got, metadata: { ...got.metadata, resourceVersion: undefined }, status: { phase: 'Running' } }, opts('agent')));
    expect(got.status.phase).toBe('Running');
    expect(got.spec.nodeName).toBe('n1');
    got = parse(rest.update(pods, 'ns', 'p', '', { ...got, metadata: { ...got.metadata, resourceVersion: undefined, labels: { done: 'yes' } } }, opts('ctl')));
    expect(got.metadata.labels).toEqual({ done: 'yes' });
    got = parse(rest.patch(pods, 'ns', 'p', '', 'strategic', { metadata: { annotations: { x: 'y' } } }, { ...opts('s'), force: false }));
    got = parse(rest.patch(pods, 'ns', 'p', 'status', 'json', [{ op: 'add', path: '/status/reason', value: 'r' }], { ...opts('j'), force: false }));
    expect(got.status).toMatchObject({ phase: 'Running', reason: 'r' });
    expect(got.metadata.annotations).toEqual({ x: 'y' });
  });

  // The built-in kinds whose strategies act on updates (services keep allocated values, namespaces
  // keep spec.finalizers) and a few plain ones: label patches, main PUTs and status writes.
  it.each([
    ['services', 'ns', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } }],
    ['namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }],
    ['configmaps', 'ns', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } }],
    ['serviceaccounts', 'ns', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } }],
    ['nodes', '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} }],
    ['roles', 'ns', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }],
    ['deployments', 'ns', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }],
  ] as const)('%s: merge patch, main PUT and status write', (resource, namespace, object) => {
    const { rest } = setup();
    const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
    const rt = builtinResourceTypes().find((t) => t.resource === resource && t.group === group)!;
    const name = object.metadata.name;
    rest.create(rt, namespace, structuredClone(object) as unknown as KubeObject, opts());
    let got = parse(rest.patch(rt, namespace, name, '', 'merge', { metadata: { labels: { a: '1' } } }, { ...opts('m'), force: false }));
    expect(got.metadata.labels).toMatchObject({ a: '1' });
    got = parse(rest.update(rt, namespace, name, '', { ...got, metadata: { ...got.metadata, resourceVersion: undefined, annotations: { b: '2' } } }, opts('ctl')));
    expect(got.metadata.annotations).toEqual({ b: '2' });
    if (rt.subresources?.includes('status')) {
      got = parse(rest.patch(rt, namespace, name, 'status', 'merge', { status: { conditions: [] } }, { ...opts('st'), force: false }));
      expect(got.metadata.labels).toMatchObject({ a: '1' });
    }
  });

  it.each([true, false])('a custom resource (status subresource: %s): patches and PUTs of both halves', (withStatus) => {
    const { rest } = setup();
    const rt = resourceTypesFromCrd(crd(withStatus, widgetSpec))[0]!;
    rest.create(rt, 'ns', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, extra: { note: 'n' } } }, opts());
    let got = parse(rest.patch(rt, 'ns', 'w', '', 'merge', { spec: { size: 2 } }, { ...opts('m'), force: false }));
    expect(got.spec).toEqual({ size: 2, mode: 'fast', extra: { note: 'n' } });
    expect(got.metadata.generation).toBe(2);
    const statusPath = withStatus ? 'status' : '';
    got = parse(rest.update(rt, 'ns', 'w', statusPath, { ...got, status: { phase: 'Ready' } }, opts('ctl')));
    expect(got.status).toEqual({ phase: 'Ready', count: 0 });
    got = parse(rest.patch(rt, 'ns', 'w', statusPath, 'merge', { status: { phase: 'Done' } }, { ...opts('ctl'), force: false }));
    expect(got.status).toEqual({ phase: 'Done', count: 0 });
    got = parse(rest.update(rt, 'ns', 'w', '', { ...got, metadata: { ...got.metadata, labels: { l: 'v' } } }, opts('ctl')));
    expect(got.metadata.labels).toEqual({ l: 'v' });
    expect(got.spec).toEqual({ size: 2, mode: 'fast', extra: { note: 'n' } });
  });

  it('a stricter schema still rejects a changed value, and an unchanged invalid one as before', () => {
    const { rest } = setup();
    const rt = resourceTypesFromCrd(crd(true, widgetSpec))[0]!;
    rest.create(rt, 'ns', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } }, opts());
    expect(() => rest.patch(rt, 'ns', 'w', '', 'merge', { spec: { size: 0 } }, { ...opts(), force: false })).toThrow(/spec.size/);
    // The CRD now wants size >= 5: the stored size 1 is re-validated (no ratcheting).
    const stricter = resourceTypesFromCrd(crd(true, { ...widgetSpec, size: { type: 'integer', minimum: 5 } }))[0]!;
    expect(() => rest.patch(stricter, 'ns', 'w', '', 'merge', { metadata: { labels: { a: 'b' } } }, { ...opts(), force: false })).toThrow(/spec.size/);
  });

  it('a field the schema no longer has is pruned by the next patch, even one that does not touch it', () => {
    const { rest } = setup();
    const rt = resourceTypesFromCrd(crd(false, widgetSpec))[0]!;
    rest.create(rt, 'ns', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, extra: { note: 'n', tag: 't' } } }, opts());
    const narrower = { ...widgetSpec, extra: { type: 'object', properties: { note: { type: 'string' } } } };
    const changed = resourceTypesFromCrd(crd(false, narrower))[0]!;
    const o = opts();
    const got = parse(rest.patch(changed, 'ns', 'w', '', 'merge', { spec: { size: 3 } }, { ...o, force: false }));
    expect(got.spec).toEqual({ size: 3, mode: 'fast', extra: { note: 'n' } });
    expect(o.warnings).toEqual(['unknown field "spec.extra.tag"']);
  });
});
