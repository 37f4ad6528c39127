import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { loadCrdManifests } from '../../pkg/crd/index.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';
import { rawRequest } from '../support/raw-client.ts';

/**
 * kube-apiserver semantics a controller or kubectl relies on, checked on the wire: dry run,
 * generateName, generation, status subresource, paging, selectors on watches, Table watches,
 * bookmarks, and CRD lifecycle.
 */
let server: RunningApiServer;
let dataDir: string;
const json = { 'Content-Type': 'application/json' };
const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = json) =>
  rawRequest(server, method, path, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), headers);
const jobs = '/apis/kuscia.secretflow/v1alpha1/namespaces/default/kusciajobs';
const cms = '/api/v1/namespaces/default/configmaps';

interface Obj {
  metadata: { name: string; resourceVersion: string; generation?: number; uid: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const kusciaJob = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'kuscia.secretflow/v1alpha1',
  kind: 'KusciaJob',
  metadata: { name },
  spec: { initiator: 'alice', tasks: [{ alias: 'a', taskID: `${name}-a`, appImage: 'app', taskInputConfig: '{}', parties: [{ domainID: 'alice' }] }] },
  ...extra,
});

/** Reads a watch stream until `count` events arrived (or the timeout), then closes it. */
function watchEvents(path: string, count: number, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<Array<{ type: string; object: Record<string, unknown> }>> {
  return new Promise((resolve, reject) => {
    const events: Array<{ type: string; object: Record<string, unknown> }> = [];
    const r = request(new URL(path, server.url), { ca: server.pki.ca.certPem, cert: server.pki.admin.certPem, key: server.pki.admin.keyPem, headers }, (res) => {
      let buf = '';
      const timer = setTimeout(() => {
        res.destroy();
        resolve(events);
      }, timeoutMs);
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
        if (events.length >= count) {
          clearTimeout(timer);
          res.destroy();
          resolve(events);
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve(events);
      });
    });
    r.on('error', reject);
    r.end();
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-rest-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'warn' }), bookmarkIntervalSeconds: 1 });
  for (const crd of await loadCrdManifests()) expect((await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
  await eventually(async () => expect((await req('GET', jobs)).status).toBe(200));
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

describe('REST semantics', () => {
  it('dryRun=All validates and answers without storing', async () => {
    const r = await req('POST', `${jobs}?dryRun=All`, kusciaJob('dry'));
    expect(r.status).toBe(201);
    expect(r.json<Obj>().spec).toMatchObject({ scheduleMode: 'Strict', maxParallelism: 1 });
    expect((await req('GET', `${jobs}/dry`)).status).toBe(404);
  });

  it('generateName makes a unique name with a random suffix', async () => {
    const a = (await req('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } })).json<Obj>();
    const b = (await req('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } })).json<Obj>();
    expect(a.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(b.metadata.name).not.toBe(a.metadata.name);
  });

  it('generation moves on spec changes only; the status subresource is separate', async () => {
    const created = (await req('POST', jobs, kusciaJob('gen'))).json<Obj>();
    expect(created.metadata.generation).toBe(1);
    // Status sent to the main resource is ignored.
    const withStatus = (await req('PUT', `${jobs}/gen`, { ...created, status: { phase: 'Running' } })).json<Obj>();
    expect(withStatus.status).toBeUndefined();
    expect(withStatus.metadata.generation).toBe(1);
    // Labels do not bump generation.
    const labelled = (await req('PATCH', `${jobs}/gen`, { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' })).json<Obj>();
    expect(labelled.metadata.generation).toBe(1);
    // /status changes only status.
    const status = await req('PUT', `${jobs}/gen/status`, { ...labelled, spec: { ...labelled.spec, maxParallelism: 9 }, status: { phase: 'Running' } });
    expect(status.status, status.body).toBe(200);
    expect(status.json<Obj>()).toMatchObject({ status: { phase: 'Running' }, spec: { maxParallelism: 1 }, metadata: { generation: 1 } });
    // A spec change bumps generation and keeps status.
    const specChange = (await req('PATCH', `${jobs}/gen`, { spec: { maxParallelism: 2 } }, { 'Content-Type': 'application/merge-patch+json' })).json<Obj>();
    expect(specChange).toMatchObject({ metadata: { generation: 2 }, status: { phase: 'Running' } });
  });

  it('finalizers hold deletion until the last one is removed', async () => {
    await req('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const del = await req('DELETE', `${cms}/held`);
    expect(del.status).toBe(200);
    const held = (await req('GET', `${cms}/held`)).json<{ metadata: { deletionTimestamp?: string } }>();
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    await req('PATCH', `${cms}/held`, [{ op: 'remove', path: '/metadata/finalizers' }], { 'Content-Type': 'application/json-patch+json' });
    expect((await req('GET', `${cms}/held`)).status).toBe(404);
  });

  it('pages with limit/continue at one revision, even while objects change', async () => {
    for (let i = 0; i < 7; i++) await req('POST', '/api/v1/namespaces/kube-public/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `page-${i}` } });
    const first = (await req('GET', '/api/v1/namespaces/kube-public/configmaps?limit=3')).json<{ metadata: { continue: string; resourceVersion: string; remainingItemCount: number }; items: Obj[] }>();
    expect(first.items.map((i) => i.metadata.name)).toEqual(['page-0', 'page-1', 'page-2']);
    expect(first.metadata.remainingItemCount).toBe(4);
    await req('DELETE', '/api/v1/namespaces/kube-public/configmaps/page-5');
    const second = (await req('GET', `/api/v1/namespaces/kube-public/configmaps?limit=10&continue=${first.metadata.continue}`)).json<{ metadata: { continue?: string; resourceVersion: string }; items: Obj[] }>();
    expect(second.items.map((i) => i.metadata.name)).toEqual(['page-3', 'page-4', 'page-5', 'page-6']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(second.metadata.continue).toBeUndefined();
  });

  it('streams large lists as one valid document', async () => {
    await req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'big-list' } });
    const path = '/api/v1/namespaces/big-list/configmaps';
    await Promise.all(Array.from({ length: 1234 }, (_, i) => req('POST', path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(4, '0')}` }, data: { i: String(i) } })));
    const r = await req('GET', path);
    expect(r.headers['content-length']).toBeUndefined();
    const list = r.json<{ kind: string; items: Obj[] }>();
    expect(list.kind).toBe('ConfigMapList');
    expect(list.items.map((i) => i.metadata.name)).toEqual(Array.from({ length: 1234 }, (_, i) => `cm-${String(i).padStart(4, '0')}`));
  });

  it('deletecollection removes what the selector matches', async () => {
    for (const [name, team] of [['dc-a', 'x'], ['dc-b', 'x'], ['dc-c', 'y']]) {
      await req('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { team } } });
    }
    expect((await req('DELETE', `${cms}?labelSelector=team%3Dx`)).status).toBe(200);
    const left = (await req('GET', `${cms}?labelSelector=team`)).json<{ items: Obj[] }>().items.map((i) => i.metadata.name);
    expect(left).toEqual(['dc-c']);
  });

  it('a watch with a label selector sees objects enter and leave the selection', async () => {
    const list = (await req('GET', cms)).json<{ metadata: { resourceVersion: string } }>();
    const events = watchEvents(`${cms}?watch=true&labelSelector=watched%3Dyes&resourceVersion=${list.metadata.resourceVersion}`, 3);
    await new Promise((r) => setTimeout(r, 100));
    await req('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sel-w' } });
    await req('PATCH', `${cms}/sel-w`, { metadata: { labels: { watched: 'yes' } } }, { 'Content-Type': 'application/merge-patch+json' });
    await req('PATCH', `${cms}/sel-w`, { data: { x: '1' } }, { 'Content-Type': 'application/merge-patch+json' });
    await req('PATCH', `${cms}/sel-w`, { metadata: { labels: { watched: 'no' } } }, { 'Content-Type': 'application/merge-patch+json' });
    expect((await events).map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('an all-namespaces watch from resourceVersion 0 starts with the current objects', async () => {
    const existing = (await req('GET', '/api/v1/namespaces')).json<{ items: Obj[] }>().items.map((i) => i.metadata.name);
    expect(existing).toEqual(expect.arrayContaining(['default', 'kube-node-lease', 'kube-public', 'kube-system']));
    const events = await watchEvents('/api/v1/namespaces?watch=true&resourceVersion=0', existing.length, {}, 2000);
    expect(events.map((e) => (e.object['metadata'] as { name: string }).name)).toEqual(existing);
    expect(events.every((e) => e.type === 'ADDED')).toBe(true);
  });

  it('sends BOOKMARKs to clients that allow them, and ends at timeoutSeconds', async () => {
    const rv = (await req('GET', cms)).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const started = Date.now();
    const events = await watchEvents(`${cms}?watch=true&allowWatchBookmarks=true&timeoutSeconds=2&resourceVersion=${rv}`, 100, {}, 10_000);
    expect(Date.now() - started).toBeLessThan(5000);
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.any(String) } });
  });

  it('Table watches carry column definitions on the first event only', async () => {
    const table = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
    const list = await req('GET', jobs, undefined, table);
    const t = list.json<{ kind: string; columnDefinitions: Array<{ name: string }>; rows: unknown[]; metadata: { resourceVersion: string } }>();
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'StartTime', 'CompletionTime', 'LastReconcileTime', 'Phase']);
    const events = watchEvents(`${jobs}?watch=true&resourceVersion=${t.metadata.resourceVersion}`, 2, table);
    await new Promise((r) => setTimeout(r, 100));
    await req('POST', jobs, kusciaJob('tw-1'));
    await req('POST', jobs, kusciaJob('tw-2'));
    const [e1, e2] = await events;
    expect(e1.object).toMatchObject({ kind: 'Table', rows: [{ cells: ['tw-1', null, null, null, null] }] });
    expect((e1.object['columnDefinitions'] as unknown[]).length).toBe(5);
    expect(e2.object['columnDefinitions'] ?? []).toEqual([]);
  });

  it('serves a custom resource in every served version (conversion None)', async () => {
    const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } };
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          { name: 'v1', served: true, storage: true, schema },
          { name: 'v1beta1', served: true, storage: false, schema },
        ],
      },
    };
    expect((await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    const beta = '/apis/example.com/v1beta1/namespaces/default/widgets';
    await eventually(async () => expect((await req('GET', beta)).status).toBe(200));
    const created = await req('POST', beta, { apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3 } });
    expect(created.json()).toMatchObject({ apiVersion: 'example.com/v1beta1', spec: { size: 3 } });
    expect((await req('GET', '/apis/example.com/v1/namespaces/default/widgets/w')).json()).toMatchObject({ apiVersion: 'example.com/v1', spec: { size: 3 } });
    expect((await req('GET', beta)).json<{ items: Array<{ apiVersion: string }> }>().items.map((i) => i.apiVersion)).toEqual(['example.com/v1beta1']);
    expect(JSON.parse(server.store.get('/registry/example.com/widgets/default/w')!.value).apiVersion).toBe('example.com/v1');
  });

  it('deleting a CRD removes its objects and stops serving it', async () => {
    const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/kusciajobs.kuscia.secretflow';
    const crd = (await req('GET', crdPath)).json<{ status: { conditions: Array<{ type: string; status: string }> } }>();
    expect(crd.status.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'NamesAccepted', status: 'True' }), expect.objectContaining({ type: 'Established', status: 'True' })]),
    );
    expect((await req('DELETE', crdPath)).status).toBe(200);
    await eventually(async () => expect((await req('GET', jobs)).status).toBe(404));
    const keys = server.store.list('/registry/kuscia.secretflow/kusciajobs/').items;
    expect(keys).toEqual([]);
  });
});
