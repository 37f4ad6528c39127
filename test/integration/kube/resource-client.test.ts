import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConflict, isNotFound } from '../../../pkg/kube/api-errors.ts';
import { CoreResources } from '../../../pkg/kube/resources.ts';
import type { Pod } from '../../../pkg/kube/wire.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';

let env: ControllerTestEnv;

beforeAll(async () => {
  env = await startControllerTestEnv();
  await env.createNamespaces('alice');
});
afterAll(async () => env?.stop());

const pod = (name: string, labels: Record<string, string> = {}): Pod => ({
  metadata: { name, namespace: 'alice', labels },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

describe('ResourceClient over the keep-alive JSON client', () => {
  it('creates, patches (merge and JSON patch), binds and deletes with a uid precondition', async () => {
    const { pods, nodes } = env.clients;
    const created = await pods.create(pod('p1'));
    expect(typeof created.metadata?.creationTimestamp).toBe('string');
    const merged = await pods.patch('alice', 'p1', { metadata: { labels: { a: '1' } } });
    expect(merged.metadata?.labels).toEqual({ a: '1' });
    const jsonPatched = await pods.patch('alice', 'p1', [{ op: 'add', path: '/metadata/annotations', value: { x: 'y' } }], { type: 'json' });
    expect(jsonPatched.metadata?.annotations).toEqual({ x: 'y' });

    await nodes.create({ metadata: { name: 'n1' } });
    await pods.createSubresource('alice', 'p1', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } });
    expect((await pods.get('alice', 'p1')).spec?.nodeName).toBe('n1');

    // A stale resourceVersion is a conflict; a wrong uid precondition refuses the delete.
    await expect(pods.replace({ ...created, metadata: { ...created.metadata, labels: { b: '2' } } })).rejects.toSatisfy(isConflict);
    await expect(pods.delete('alice', 'p1', { uid: 'not-the-uid', gracePeriodSeconds: 0 })).rejects.toSatisfy(isConflict);
    await pods.delete('alice', 'p1', { uid: created.metadata?.uid, gracePeriodSeconds: 0 });
    await expect(pods.get('alice', 'p1')).rejects.toSatisfy(isNotFound);
  });

  it('writes status of a type without a status subresource as a whole-object PUT', async () => {
    const trs = env.clients.taskResources;
    const tr = await trs.create({
      apiVersion: 'kuscia.secretflow/v1alpha1',
      kind: 'TaskResource',
      metadata: { name: 'tr1', namespace: 'alice' },
      spec: { role: '', minReservedPods: 1, initiator: 'alice', pods: [{ name: 'p' }] },
    });
    const updated = await trs.replaceStatus({ ...tr, status: { phase: 'Reserving' } });
    expect(updated.status?.phase).toBe('Reserving');
  });
});

describe('informer indexes', () => {
  it('finds objects by index value and follows label changes and deletes', async () => {
    const ctx = env.context();
    const informer = ctx.informers.informerFor<Pod>(CoreResources.pods, { namespace: 'alice' });
    informer.addIndexer('group', (p) => (p.metadata?.labels?.['group'] ? [p.metadata.labels['group']] : []));
    const stop = await env.startControllers(ctx, []);
    const { pods } = env.clients;
    await pods.create(pod('i1', { group: 'g1' }));
    await pods.create(pod('i2', { group: 'g1' }));
    await pods.create(pod('i3', { group: 'g2' }));
    const names = (v: string) => informer.byIndex('group', v).map((p) => p.metadata?.name).sort();
    await eventually(() => expect(names('g1')).toEqual(['i1', 'i2']));
    await pods.patch('alice', 'i2', { metadata: { labels: { group: 'g2' } } });
    await eventually(() => expect(names('g2')).toEqual(['i2', 'i3']));
    expect(names('g1')).toEqual(['i1']);
    await pods.delete('alice', 'i1', { gracePeriodSeconds: 0 });
    await eventually(() => expect(names('g1')).toEqual([]));
    await stop();
  });
});
