import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';
import { rawRequest } from '../support/raw-client.ts';

/**
 * Cascading deletion as kube-controller-manager's garbage collector does it, checked on the wire:
 * Background, Foreground (foregroundDeletion finalizer, blockOwnerDeletion) and Orphan
 * propagation, several owners, cluster-scoped owners, owners and dependents that are custom
 * resources, and the DeleteOptions validation in front of it all.
 */
let server: RunningApiServer;
let dataDir: string;
const json = { 'Content-Type': 'application/json' };
const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = json) =>
  rawRequest(server, method, path, body === undefined ? undefined : JSON.stringify(body), headers);
const cms = '/api/v1/namespaces/gc/configmaps';
const widgets = '/apis/example.com/v1/namespaces/gc/widgets';

interface Meta {
  name: string;
  uid: string;
  resourceVersion: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  ownerReferences?: Array<{ uid: string; name: string; kind: string; blockOwnerDeletion?: boolean }>;
}
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: Meta;
}

async function create(path: string, body: Record<string, unknown>): Promise<Obj> {
  const r = await req('POST', path, body);
  expect(r.status, r.body).toBe(201);
  return r.json<Obj>();
}

const configMap = (name: string, meta: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...meta } });
const widget = (name: string, meta: Record<string, unknown> = {}) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, ...meta }, spec: { size: 1 } });

/** An ownerReference to `owner` as controllers write them. */
function ownedBy(owner: Obj, opts: { block?: boolean; controller?: boolean } = {}) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    ...(opts.block !== undefined ? { blockOwnerDeletion: opts.block } : {}),
    ...(opts.controller ? { controller: true } : {}),
  };
}

async function status(path: string): Promise<number> {
  return (await req('GET', path)).status;
}

async function get(path: string): Promise<Obj> {
  const r = await req('GET', path);
  expect(r.status, r.body).toBe(200);
  return r.json<Obj>();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-gc-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'warn' }) });
  expect((await req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gc' } })).status).toBe(201);
  const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' }, versions: [{ name: 'v1', served: true, storage: true, schema }] },
  };
  expect((await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
  await eventually(async () => expect(await status(widgets)).toBe(200));
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

describe('DeleteOptions', () => {
  it('refuses an unknown propagation policy like kube-apiserver (422 on DeleteOptions)', async () => {
    await create(cms, configMap('opts'));
    const r = await req('DELETE', `${cms}/opts`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Sideways' });
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({
      reason: 'Invalid',
      message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
      details: { group: 'meta.k8s.io', kind: 'DeleteOptions', causes: [{ reason: 'FieldValueNotSupported', field: 'propagationPolicy' }] },
    });
    const both = await req('DELETE', `${cms}/opts`, { orphanDependents: true, propagationPolicy: 'Orphan' });
    expect(both.status).toBe(422);
    expect(both.json<{ message: string }>().message).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set',
    );
    const query = await req('DELETE', `${cms}/opts?gracePeriodSeconds=soon`);
    expect(query.status).toBe(400);
    expect(await status(`${cms}/opts`)).toBe(200);
  });

  it('checks uid and resourceVersion preconditions with the registry wording', async () => {
    const cm = await create(cms, configMap('pre'));
    const r = await req('DELETE', `${cms}/pre`, { preconditions: { uid: 'not-it' } });
    expect(r.status).toBe(409);
    expect(r.json<{ message: string }>().message).toBe(
      `Operation cannot be fulfilled on ConfigMap "pre": the UID in the precondition (not-it) does not match the UID in record (${cm.metadata.uid}). The object might have been deleted and then recreated`,
    );
    expect((await req('DELETE', `${cms}/pre`, { preconditions: { uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion } })).status).toBe(200);
  });
});

describe('garbage collector', () => {
  it('Background (the default): the owner goes at once, then its dependents', async () => {
    const owner = await create(cms, configMap('bg-owner'));
    for (let i = 0; i < 3; i++) await create(cms, configMap(`bg-dep-${i}`, { ownerReferences: [ownedBy(owner, { controller: true, block: true })] }));
    await create(widgets, widget('bg-widget', { ownerReferences: [ownedBy(owner)] }));
    const del = await req('DELETE', `${cms}/bg-owner`);
    expect(del.status).toBe(200);
    expect(del.json()).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'bg-owner', kind: 'configmaps', uid: owner.metadata.uid } });
    expect(await status(`${cms}/bg-owner`)).toBe(404);
    await eventually(async () => {
      for (let i = 0; i < 3; i++) expect(await status(`${cms}/bg-dep-${i}`)).toBe(404);
      expect(await status(`${widgets}/bg-widget`)).toBe(404);
    });
  });

  it('notices a change of owner references after updates that kept them', async () => {
    const owner = await create(cms, configMap('upd-owner'));
    await create(cms, configMap('upd-dep', { ownerReferences: [ownedBy(owner)] }));
    const mergePatch = { 'Content-Type': 'application/merge-patch+json' };
    const patch = async (body: unknown) => expect((await req('PATCH', `${cms}/upd-dep`, body, mergePatch)).status).toBe(200);
    for (let i = 0; i < 3; i++) await patch({ data: { round: String(i) } });
    // A second owner that does not exist: the collector drops the reference, keeping the live one.
    const gone = { apiVersion: 'v1', kind: 'ConfigMap', name: 'upd-never', uid: '00000000-0000-0000-0000-000000000000' };
    await patch({ metadata: { ownerReferences: [ownedBy(owner), gone] } });
    await eventually(async () => expect((await get(`${cms}/upd-dep`)).metadata.ownerReferences?.map((r) => r.name)).toEqual(['upd-owner']));
    await patch({ data: { round: 'last' } });
    expect((await req('DELETE', `${cms}/upd-owner`)).status).toBe(200);
    await eventually(async () => expect(await status(`${cms}/upd-dep`)).toBe(404));
  });

  it('Foreground: the owner stays (deletionTimestamp, foregroundDeletion) until no blocking dependent is left', async () => {
    const owner = await create(cms, configMap('fg-owner'));
    await create(cms, configMap('fg-held', { finalizers: ['example.com/hold'], ownerReferences: [ownedBy(owner, { block: true })] }));
    await create(cms, configMap('fg-blocking', { ownerReferences: [ownedBy(owner, { block: true })] }));
    await create(widgets, widget('fg-loose', { ownerReferences: [ownedBy(owner, { block: false })] }));
    const del = await req('DELETE', `${cms}/fg-owner`, { propagationPolicy: 'Foreground' });
    expect(del.status).toBe(200);
    expect(del.json<Obj>().metadata).toMatchObject({ finalizers: ['foregroundDeletion'], deletionGracePeriodSeconds: 0 });
    expect(del.json<Obj>().metadata.deletionTimestamp).toBeTruthy();
    await eventually(async () => {
      expect(await status(`${cms}/fg-blocking`)).toBe(404);
      expect(await status(`${widgets}/fg-loose`)).toBe(404);
      expect((await get(`${cms}/fg-held`)).metadata.deletionTimestamp).toBeTruthy();
    });
    // The held dependent blocks its owner, which stays visible as being deleted.
    await new Promise((r) => setTimeout(r, 200));
    expect((await get(`${cms}/fg-owner`)).metadata).toMatchObject({ finalizers: ['foregroundDeletion'] });
    await req('PATCH', `${cms}/fg-held`, [{ op: 'remove', path: '/metadata/finalizers' }], { 'Content-Type': 'application/json-patch+json' });
    await eventually(async () => {
      expect(await status(`${cms}/fg-held`)).toBe(404);
      expect(await status(`${cms}/fg-owner`)).toBe(404);
    });
  });

  it('Foreground without blocking dependents removes the owner once the others are gone', async () => {
    const owner = await create(widgets, widget('fg-cr-owner'));
    await create(cms, configMap('fg-cr-dep', { ownerReferences: [ownedBy(owner)] }));
    expect((await req('DELETE', `${widgets}/fg-cr-owner`, { propagationPolicy: 'Foreground' })).status).toBe(200);
    await eventually(async () => {
      expect(await status(`${cms}/fg-cr-dep`)).toBe(404);
      expect(await status(`${widgets}/fg-cr-owner`)).toBe(404);
    });
  });

  it('Foreground cascades through a chain of owners', async () => {
    const top = await create(cms, configMap('chain-top'));
    const middle = await create(cms, configMap('chain-middle', { ownerReferences: [ownedBy(top, { block: true })] }));
    await create(cms, configMap('chain-leaf', { finalizers: ['example.com/hold'], ownerReferences: [ownedBy(middle, { block: true })] }));
    expect((await req('DELETE', `${cms}/chain-top`, { propagationPolicy: 'Foreground' })).status).toBe(200);
    // The middle object is deleted in the foreground too, so the whole chain waits for the leaf.
    await eventually(async () => expect((await get(`${cms}/chain-middle`)).metadata).toMatchObject({ finalizers: ['foregroundDeletion'] }));
    await eventually(async () => expect((await get(`${cms}/chain-leaf`)).metadata.deletionTimestamp).toBeTruthy());
    expect(await status(`${cms}/chain-top`)).toBe(200);
    await req('PATCH', `${cms}/chain-leaf`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    await eventually(async () => {
      for (const name of ['chain-leaf', 'chain-middle', 'chain-top']) expect(await status(`${cms}/${name}`), name).toBe(404);
    });
  });

  it('Orphan: dependents stay, without the reference to the deleted owner', async () => {
    const owner = await create(cms, configMap('orphan-owner'));
    const other = await create(cms, configMap('orphan-other'));
    await create(cms, configMap('orphan-dep', { ownerReferences: [ownedBy(owner, { block: true }), ownedBy(other)] }));
    await create(widgets, widget('orphan-widget', { ownerReferences: [ownedBy(owner)] }));
    const del = await req('DELETE', `${cms}/orphan-owner`, { propagationPolicy: 'Orphan' });
    expect(del.status).toBe(200);
    expect(del.json<Obj>().metadata.finalizers).toEqual(['orphan']);
    await eventually(async () => expect(await status(`${cms}/orphan-owner`)).toBe(404));
    expect((await get(`${cms}/orphan-dep`)).metadata.ownerReferences?.map((r) => r.name)).toEqual(['orphan-other']);
    expect((await get(`${widgets}/orphan-widget`)).metadata.ownerReferences).toBeUndefined();
  });

  it('the deprecated orphanDependents: true orphans; false answers 202 while the owner is held', async () => {
    const owner = await create(cms, configMap('legacy-owner'));
    await create(cms, configMap('legacy-dep', { ownerReferences: [ownedBy(owner)] }));
    expect((await req('DELETE', `${cms}/legacy-owner`, { orphanDependents: true })).status).toBe(200);
    await eventually(async () => expect(await status(`${cms}/legacy-owner`)).toBe(404));
    expect((await get(`${cms}/legacy-dep`)).metadata.ownerReferences).toBeUndefined();

    const held = await create(cms, configMap('legacy-held', { finalizers: ['example.com/hold'] }));
    await create(cms, configMap('legacy-held-dep', { ownerReferences: [ownedBy(held, { block: true })] }));
    // orphanDependents=false only means "not orphan" (no foregroundDeletion, unlike the namespace
    // registry): the held owner still exists, so its dependent stays until it is really gone.
    const cascade = await req('DELETE', `${cms}/legacy-held`, { orphanDependents: false });
    expect(cascade.status).toBe(202);
    expect(cascade.json<Obj>().metadata.finalizers).toEqual(['example.com/hold']);
    await new Promise((r) => setTimeout(r, 100));
    expect(await status(`${cms}/legacy-held-dep`)).toBe(200);
    await req('PATCH', `${cms}/legacy-held`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(await status(`${cms}/legacy-held`)).toBe(404);
    await eventually(async () => expect(await status(`${cms}/legacy-held-dep`)).toBe(404));
  });

  it('a dependent with an owner left is kept; the reference to the gone owner is dropped', async () => {
    const a = await create(cms, configMap('multi-a'));
    const b = await create(widgets, widget('multi-b'));
    await create(cms, configMap('multi-dep', { ownerReferences: [ownedBy(a), ownedBy(b)] }));
    expect((await req('DELETE', `${cms}/multi-a`)).status).toBe(200);
    await eventually(async () => expect((await get(`${cms}/multi-dep`)).metadata.ownerReferences?.map((r) => r.name)).toEqual(['multi-b']));
    await new Promise((r) => setTimeout(r, 100));
    expect(await status(`${cms}/multi-dep`)).toBe(200);
    expect((await req('DELETE', `${widgets}/multi-b`)).status).toBe(200);
    await eventually(async () => expect(await status(`${cms}/multi-dep`)).toBe(404));
  });

  it('cluster-scoped owners are looked up cluster-wide', async () => {
    const node = await create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gc-node' } });
    const alive = await create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gc-node-alive' } });
    await create(cms, configMap('node-dep', { ownerReferences: [ownedBy(node)] }));
    await create(cms, configMap('node-dep-alive', { ownerReferences: [ownedBy(alive)] }));
    expect((await req('DELETE', '/api/v1/nodes/gc-node')).status).toBe(200);
    await eventually(async () => expect(await status(`${cms}/node-dep`)).toBe(404));
    expect(await status(`${cms}/node-dep-alive`)).toBe(200);
  });

  it('collects dependents created for an owner that is absent or has another uid', async () => {
    const owner = await create(cms, configMap('uid-owner'));
    await create(cms, configMap('wrong-uid', { ownerReferences: [{ ...ownedBy(owner), uid: '00000000-0000-0000-0000-000000000000' }] }));
    await create(cms, configMap('no-owner', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never-there', uid: '11111111-1111-1111-1111-111111111111' }] }));
    // An owner in another namespace is not an owner: Kubernetes looks in the dependent's namespace.
    const elsewhere = await create('/api/v1/namespaces/default/configmaps', configMap('gc-elsewhere'));
    await create(cms, configMap('cross-ns', { ownerReferences: [ownedBy(elsewhere)] }));
    await create(cms, configMap('right-uid', { ownerReferences: [ownedBy(owner)] }));
    await eventually(async () => {
      expect(await status(`${cms}/wrong-uid`)).toBe(404);
      expect(await status(`${cms}/no-owner`)).toBe(404);
      expect(await status(`${cms}/cross-ns`)).toBe(404);
    });
    expect(await status(`${cms}/right-uid`)).toBe(200);
    expect(await status('/api/v1/namespaces/default/configmaps/gc-elsewhere')).toBe(200);
  });

  it('a dependent of an owner kind nobody serves is left alone until the kind appears', async () => {
    await create(cms, configMap('gadget-dep', { ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Gadget', name: 'g', uid: '22222222-2222-2222-2222-222222222222' }] }));
    await new Promise((r) => setTimeout(r, 200));
    expect(await status(`${cms}/gadget-dep`)).toBe(200);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
    };
    expect((await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    await eventually(async () => expect(await status(`${cms}/gadget-dep`)).toBe(404));
  });

  it('refuses new finalizers on an object being deleted', async () => {
    await create(cms, configMap('no-new', { finalizers: ['example.com/a'] }));
    await req('DELETE', `${cms}/no-new`);
    const r = await req('PATCH', `${cms}/no-new`, { metadata: { finalizers: ['example.com/a', 'example.com/b'] } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(r.status).toBe(422);
    expect(r.json<{ message: string }>().message).toBe(
      'ConfigMap "no-new" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b"}',
    );
    await req('PATCH', `${cms}/no-new`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(await status(`${cms}/no-new`)).toBe(404);
  });
});
