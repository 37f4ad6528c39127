import { ApiException, CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';

/**
 * @kubernetes/client-node, unmodified, against the in-process API server: what every Kuscia
 * controller will rely on (informers, 410 recovery, optimistic concurrency).
 */
let server: RunningApiServer;
let dataDir: string;
let core: CoreV1Api;
let kc: KubeConfig;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-it-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'warn' }) });
  kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

const cm = (name: string, data: Record<string, string> = {}): V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('@kubernetes/client-node against the embedded API server', () => {
  it('an informer sees add, update and delete', async () => {
    await core.createNamespace({ body: { metadata: { name: 'informed' } } });
    const seen: string[] = [];
    const informer = makeInformer(kc, '/api/v1/namespaces/informed/configmaps', () => core.listNamespacedConfigMap({ namespace: 'informed' }));
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update:${o.metadata?.name}:${o.data?.['v']}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'informed', body: cm('one', { v: '1' }) });
      // client-node sends JSON patch (application/json-patch+json) by default.
      await core.patchNamespacedConfigMap({ namespace: 'informed', name: 'one', body: [{ op: 'replace', path: '/data/v', value: '2' }] });
      await core.deleteNamespacedConfigMap({ namespace: 'informed', name: 'one' });
      await eventually(() => expect(seen).toEqual(['add:one', 'update:one:2', 'delete:one']));
      expect(informer.list('informed')).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it('an informer recovers from 410 Gone after compaction by relisting', async () => {
    await core.createNamespace({ body: { metadata: { name: 'compacted' } } });
    const added: string[] = [];
    const informer = makeInformer(kc, '/api/v1/namespaces/compacted/configmaps', () => core.listNamespacedConfigMap({ namespace: 'compacted' }));
    informer.on('add', (o) => added.push(o.metadata?.name ?? ''));
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'compacted', body: cm('before') });
    await eventually(() => expect(added).toEqual(['before']));
    // Disconnect, change things the informer cannot see, and compact the history it would need.
    await informer.stop();
    await core.createNamespacedConfigMap({ namespace: 'compacted', body: cm('missed') });
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('elsewhere') });
    const compactedTo = server.compactNow();
    expect(compactedTo).toBe(server.store.revision);
    // Resuming from its old resourceVersion gets 410 Expired; the informer relists and catches up.
    await informer.start();
    try {
      await eventually(() => expect(added).toEqual(['before', 'missed']));
      await core.createNamespacedConfigMap({ namespace: 'compacted', body: cm('after') });
      await eventually(() => expect(added).toEqual(['before', 'missed', 'after']));
    } finally {
      await informer.stop();
    }
  });

  it('a watch from a compacted resourceVersion gets an in-stream 410 Expired', async () => {
    server.compactNow();
    const res = await fetchWithKubeconfig(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=2`);
    expect(res.status).toBe(200);
    const line = res.body.split('\n')[0];
    const event = JSON.parse(line) as { type: string; object: { code: number; reason: string; kind: string } };
    expect(event).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('a stale update gets 409 Conflict', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: cm('stale', { v: '1' }) });
    const first = { ...created, data: { v: '2' } };
    await core.replaceNamespacedConfigMap({ namespace: 'default', name: 'stale', body: first });
    const second = { ...created, data: { v: '3' } };
    const err = await core.replaceNamespacedConfigMap({ namespace: 'default', name: 'stale', body: second }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    const apiErr = err as ApiException<string>;
    expect(apiErr.code).toBe(409);
    expect(JSON.parse(apiErr.body)).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    const current = await core.readNamespacedConfigMap({ namespace: 'default', name: 'stale' });
    expect(current.data).toEqual({ v: '2' });
  });
});

/** A raw GET with the admin client certificate, for wire-level assertions. */
async function fetchWithKubeconfig(path: string): Promise<{ status: number; body: string }> {
  const https = await import('node:https');
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ca: server.pki.ca.certPem, cert: server.pki.admin.certPem, key: server.pki.admin.keyPem }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
