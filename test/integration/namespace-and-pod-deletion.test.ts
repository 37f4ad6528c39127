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
 * Namespace lifecycle (Terminating, the namespace controller emptying it, NamespaceLifecycle
 * admission) and pod graceful deletion (a pod on a node waits for its agent), on the wire.
 */
let server: RunningApiServer;
let dataDir: string;
const json = { 'Content-Type': 'application/json' };
const mergePatch = { 'Content-Type': 'application/merge-patch+json' };
const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = json) =>
  rawRequest(server, method, path, body === undefined ? undefined : JSON.stringify(body), headers);

interface Obj {
  metadata: { name: string; uid: string; resourceVersion: string; deletionTimestamp?: string; deletionGracePeriodSeconds?: number; finalizers?: string[]; generation?: number };
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string; reason: string; message: string }> };
}

async function create(path: string, body: Record<string, unknown>): Promise<Obj> {
  const r = await req('POST', path, body);
  expect(r.status, r.body).toBe(201);
  return r.json<Obj>();
}

async function status(path: string): Promise<number> {
  return (await req('GET', path)).status;
}

async function get(path: string): Promise<Obj> {
  const r = await req('GET', path);
  expect(r.status, r.body).toBe(200);
  return r.json<Obj>();
}

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (name: string, meta: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...meta } });
const pod = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...meta },
  spec: { containers: [{ name: 'main', image: 'busybox' }], ...spec },
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-nsdel-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'warn' }) });
  const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' }, versions: [{ name: 'v1', served: true, storage: true, schema }] },
  };
  expect((await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
  await eventually(async () => expect(await status('/apis/example.com/v1/namespaces/default/widgets')).toBe(200));
  await create('/api/v1/namespaces', namespace('pods'));
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

describe('namespace lifecycle', () => {
  it('keeps default, kube-system and kube-public', async () => {
    for (const name of ['default', 'kube-system', 'kube-public']) {
      const r = await req('DELETE', `/api/v1/namespaces/${name}`);
      expect(r.status).toBe(403);
      expect(r.json()).toMatchObject({ reason: 'Forbidden', message: `namespaces "${name}" is forbidden: this namespace may not be deleted`, details: { name, kind: 'namespaces' } });
    }
    expect((await get('/api/v1/namespaces/kube-node-lease')).status?.phase).toBe('Active');
  });

  it('empties a Terminating namespace (custom resources too), refuses new content, then removes it', async () => {
    const ns = await create('/api/v1/namespaces', namespace('doomed'));
    expect(ns.spec?.finalizers).toEqual(['kubernetes']);
    for (let i = 0; i < 5; i++) await create('/api/v1/namespaces/doomed/configmaps', configMap(`cm-${i}`));
    await create('/apis/example.com/v1/namespaces/doomed/widgets', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } });
    await create('/api/v1/namespaces/doomed/configmaps', configMap('held', { finalizers: ['example.com/hold'] }));
    await create('/api/v1/namespaces/doomed/pods', pod('on-node', { nodeName: 'node-a' }));

    const del = await req('DELETE', '/api/v1/namespaces/doomed');
    expect(del.status).toBe(200);
    expect(del.json<Obj>()).toMatchObject({ kind: 'Namespace', spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
    expect(del.json<Obj>().metadata.deletionTimestamp).toBeTruthy();

    const refused = await req('POST', '/api/v1/namespaces/doomed/configmaps', configMap('late'));
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
      reason: 'Forbidden',
      details: { name: 'late', kind: 'configmaps', causes: [{ reason: 'NamespaceTerminating', message: 'namespace doomed is being terminated', field: 'metadata.namespace' }] },
      code: 403,
    });
    const generated = await req('POST', '/apis/example.com/v1/namespaces/doomed/widgets', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { generateName: 'w-' } });
    expect(generated.json<{ message: string }>().message).toBe('widgets.example.com "w-" is forbidden: unable to create new content in namespace doomed because it is being terminated');

    // Subresource creates are new content too: no binding, no token in a Terminating namespace.
    const binding = await req('POST', '/api/v1/namespaces/doomed/pods/on-node/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'on-node' }, target: { kind: 'Node', name: 'node-b' } });
    expect(binding.status, binding.body).toBe(403);
    expect(binding.json<{ message: string }>().message).toBe('pods "on-node" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    const token = await req('POST', '/api/v1/namespaces/doomed/serviceaccounts/default/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
    expect(token.status, token.body).toBe(403);
    expect(token.json<{ message: string }>().message).toBe('serviceaccounts "default" is forbidden: unable to create new content in namespace doomed because it is being terminated');

    // Plain content goes; the finalizer-held configmap and the pod waiting for its node stay.
    await eventually(async () => {
      expect(await status('/api/v1/namespaces/doomed/configmaps/cm-0')).toBe(404);
      expect(await status('/apis/example.com/v1/namespaces/doomed/widgets/w')).toBe(404);
      const conditions = (await get('/api/v1/namespaces/doomed')).status?.conditions ?? [];
      expect(conditions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 1 resource instances' }),
          expect.objectContaining({ type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances' }),
          expect.objectContaining({ type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted' }),
        ]),
      );
    });
    expect((await get('/api/v1/namespaces/doomed/configmaps/held')).metadata.deletionTimestamp).toBeTruthy();
    const waiting = await get('/api/v1/namespaces/doomed/pods/on-node');
    expect(waiting.metadata.deletionGracePeriodSeconds).toBe(30);

    // A second DELETE changes nothing while the namespace is being emptied.
    expect((await req('DELETE', '/api/v1/namespaces/doomed')).json<Obj>().status?.phase).toBe('Terminating');

    await req('PATCH', '/api/v1/namespaces/doomed/configmaps/held', { metadata: { finalizers: null } }, mergePatch);
    expect((await req('DELETE', '/api/v1/namespaces/doomed/pods/on-node', { gracePeriodSeconds: 0, preconditions: { uid: waiting.metadata.uid } })).status).toBe(200);
    await eventually(async () => expect(await status('/api/v1/namespaces/doomed')).toBe(404));
    // The name is free again.
    expect((await create('/api/v1/namespaces', namespace('doomed'))).status?.phase).toBe('Active');
  });

  it('PUT /finalize removes spec.finalizers; a namespace being deleted then goes', async () => {
    const ns = await create('/api/v1/namespaces', namespace('finalize-me'));
    // Through the main resource spec.finalizers cannot change.
    const put = await req('PUT', '/api/v1/namespaces/finalize-me', { ...ns, spec: { finalizers: [] } });
    expect(put.json<Obj>().spec?.finalizers).toEqual(['kubernetes']);
    // finalize only takes PUT.
    expect(await status('/api/v1/namespaces/finalize-me/finalize')).toBe(405);
    expect((await req('PATCH', '/api/v1/namespaces/finalize-me/finalize', { spec: { finalizers: [] } }, mergePatch)).status).toBe(405);
    const finalized = await req('PUT', '/api/v1/namespaces/finalize-me/finalize', { ...put.json<Obj>(), spec: { finalizers: [] } });
    expect(finalized.status, finalized.body).toBe(200);
    expect(finalized.json<Obj>().spec?.finalizers).toBeUndefined();
    // Not being deleted: it stays. Once deleted, nothing holds it.
    expect(await status('/api/v1/namespaces/finalize-me')).toBe(200);
    expect((await req('DELETE', '/api/v1/namespaces/finalize-me')).status).toBe(200);
    await eventually(async () => expect(await status('/api/v1/namespaces/finalize-me')).toBe(404));
  });

  it('a foreground DELETE of a namespace also waits for the garbage collector', async () => {
    await create('/api/v1/namespaces', namespace('fg-ns'));
    await create('/api/v1/namespaces/fg-ns/configmaps', configMap('a'));
    const del = await req('DELETE', '/api/v1/namespaces/fg-ns', { propagationPolicy: 'Foreground' });
    expect(del.json<Obj>().metadata.finalizers).toEqual(['foregroundDeletion']);
    await eventually(async () => expect(await status('/api/v1/namespaces/fg-ns')).toBe(404));
  });
});

describe('pod graceful deletion', () => {
  const pods = '/api/v1/namespaces/pods/pods';

  it('a pod bound to a node is only marked; it goes when the agent deletes it with grace 0', async () => {
    const created = await create(pods, pod('bound', { nodeName: 'node-a', terminationGracePeriodSeconds: 45 }));
    const before = Date.now();
    const del = await req('DELETE', `${pods}/bound`);
    expect(del.status).toBe(200);
    const marked = del.json<Obj>();
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(45);
    expect(marked.metadata.generation).toBe(2);
    const due = Date.parse(marked.metadata.deletionTimestamp ?? '');
    expect(due).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 44_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 46_000);

    // A longer grace period is ignored; a shorter one moves the deadline by the difference.
    expect((await req('DELETE', `${pods}/bound`, { gracePeriodSeconds: 120 })).json<Obj>().metadata).toMatchObject({ deletionGracePeriodSeconds: 45, deletionTimestamp: marked.metadata.deletionTimestamp });
    const shortened = (await req('DELETE', `${pods}/bound`, { gracePeriodSeconds: 5 })).json<Obj>().metadata;
    expect(shortened.deletionGracePeriodSeconds).toBe(5);
    expect(Date.parse(shortened.deletionTimestamp ?? '')).toBe(due - 40_000);
    expect(await status(`${pods}/bound`)).toBe(200);

    // The node agent confirms (kubelet sends grace 0 with a uid precondition); the pod comes back as it was last.
    const stale = await req('DELETE', `${pods}/bound`, { gracePeriodSeconds: 0, preconditions: { uid: 'someone-else' } });
    expect(stale.status).toBe(409);
    const gone = await req('DELETE', `${pods}/bound`, { gracePeriodSeconds: 0, preconditions: { uid: created.metadata.uid } });
    expect(gone.status).toBe(200);
    expect(gone.json<Obj>()).toMatchObject({ kind: 'Pod', metadata: { name: 'bound', deletionGracePeriodSeconds: 0 } });
    expect(await status(`${pods}/bound`)).toBe(404);
  });

  it('an unbound or finished pod goes at once', async () => {
    await create(pods, pod('unbound'));
    const del = await req('DELETE', `${pods}/unbound`);
    expect(del.json<Obj>().metadata.deletionGracePeriodSeconds).toBe(0);
    expect(await status(`${pods}/unbound`)).toBe(404);

    const done = await create(pods, pod('done', { nodeName: 'node-a' }));
    const st = await req('PUT', `${pods}/done/status`, { ...done, status: { phase: 'Succeeded' } });
    expect(st.status, st.body).toBe(200);
    await req('DELETE', `${pods}/done`);
    expect(await status(`${pods}/done`)).toBe(404);
  });

  it('force deletion (grace 0) removes a bound pod at once, with MODIFIED then DELETED for watchers', async () => {
    const created = await create(pods, pod('forced', { nodeName: 'node-a' }));
    const del = await req('DELETE', `${pods}/forced?gracePeriodSeconds=0`);
    expect(del.status).toBe(200);
    expect(await status(`${pods}/forced`)).toBe(404);
    // Watchers see the pod terminating, then gone (history replays synchronously).
    const history: string[] = [];
    server.store.watch('/registry/core/pods/pods/forced', Number(created.metadata.resourceVersion), (e) => history.push(e.type)).stop();
    expect(history).toEqual(['MODIFIED', 'DELETED']);
  });

  it('finalizers hold a pod after grace 0, and removing them only deletes once the grace period is over', async () => {
    await create(pods, pod('held', { nodeName: 'node-a' }, { finalizers: ['example.com/hold'] }));
    await req('DELETE', `${pods}/held`);
    // The grace period is running: removing the finalizer does not delete the pod.
    await req('PATCH', `${pods}/held`, { metadata: { finalizers: null } }, mergePatch);
    expect((await get(`${pods}/held`)).metadata.deletionGracePeriodSeconds).toBe(30);
    await req('PATCH', `${pods}/held`, { metadata: { finalizers: ['example.com/hold'] } }, mergePatch).then((r) => expect(r.status).toBe(422));

    await create(pods, pod('held-zero', { nodeName: 'node-a' }, { finalizers: ['example.com/hold'] }));
    expect((await req('DELETE', `${pods}/held-zero`, { gracePeriodSeconds: 0 })).json<Obj>().metadata.deletionGracePeriodSeconds).toBe(0);
    expect(await status(`${pods}/held-zero`)).toBe(200);
    await req('PATCH', `${pods}/held-zero`, { metadata: { finalizers: null } }, mergePatch);
    expect(await status(`${pods}/held-zero`)).toBe(404);

    expect((await req('DELETE', `${pods}/held`, { gracePeriodSeconds: 0 })).status).toBe(200);
    expect(await status(`${pods}/held`)).toBe(404);
  });

  it('dryRun deletes nothing', async () => {
    await create(pods, pod('dry', { nodeName: 'node-a' }));
    const r = await req('DELETE', `${pods}/dry?dryRun=All`);
    expect(r.status).toBe(200);
    expect(r.json<Obj>().metadata.deletionTimestamp).toBeTruthy();
    expect((await get(`${pods}/dry`)).metadata.deletionTimestamp).toBeUndefined();
  });
});
