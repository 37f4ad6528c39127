import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../../pkg/apiserver/server.ts';
import { loadKubeConfig, makeKubeClients, type KubeClients } from '../../../pkg/kube/client.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import type { ConfigMap, CustomObject } from '../../../pkg/kube/wire.ts';
import { SharedInformerFactory } from '../../../pkg/kube/informer-factory.ts';
import { removeDir } from '../../support/apiserver-process.ts';
import { eventually } from '../../support/eventually.ts';
import { CONFIG_MAPS, installCrd, installKusciaJobCrd, KUSCIA_JOBS, kusciaJob } from '../../support/kube-fixtures.ts';

const log = pino({ level: 'error' });
let server: RunningApiServer;
let dataDir: string;
let clients: KubeClients;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-kube-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: log });
  clients = makeKubeClients(loadKubeConfig(server.kubeconfigPath));
  await installKusciaJobCrd(clients.kubeConfig);
  for (const name of ['informed', 'cross-domain', 'other']) await clients.core.createNamespace({ body: { metadata: { name } } });
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

function recorder() {
  const events: string[] = [];
  return {
    events,
    handlers: {
      onAdd: (o: ConfigMap) => events.push(`add:${o.metadata?.name}:${o.data?.['v'] ?? ''}`),
      onUpdate: (old: ConfigMap, o: ConfigMap) => events.push(`update:${o.metadata?.name}:${old.data?.['v'] ?? ''}->${o.data?.['v'] ?? ''}`),
      onDelete: (o: ConfigMap) => events.push(`delete:${o.metadata?.name}`),
    },
  };
}

describe('shared informers', () => {
  it('see add, update (old and new) and delete of ConfigMaps, with a cache by namespace/name', async () => {
    const factory = new SharedInformerFactory({ kubeConfig: clients.kubeConfig, log });
    const informer = factory.informerFor<ConfigMap>(CONFIG_MAPS, { namespace: 'informed' });
    // Two controllers asking for the same thing share one informer (one watch, one cache).
    expect(factory.informerFor<ConfigMap>(CONFIG_MAPS, { namespace: 'informed' })).toBe(informer);
    expect(factory.informerFor<ConfigMap>(CONFIG_MAPS, { namespace: 'other' })).not.toBe(informer);
    await clients.core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'before' }, data: { v: '0' } } });
    const rec = recorder();
    informer.addEventHandler(rec.handlers);
    expect(informer.hasSynced()).toBe(false);
    await factory.start();
    try {
      expect(await factory.waitForCacheSync(5_000)).toBe(true);
      expect(rec.events).toEqual(['add:before:0']);
      await clients.core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'one' }, data: { v: '1' } } });
      await clients.core.createNamespacedConfigMap({ namespace: 'other', body: { metadata: { name: 'elsewhere' } } });
      await clients.core.patchNamespacedConfigMap({ namespace: 'informed', name: 'one', body: [{ op: 'replace', path: '/data/v', value: '2' }] });
      await eventually(() => expect(informer.get('informed', 'one')?.data).toEqual({ v: '2' }));
      await clients.core.deleteNamespacedConfigMap({ namespace: 'informed', name: 'one' });
      await eventually(() => expect(rec.events).toEqual(['add:before:0', 'add:one:1', 'update:one:1->2', 'delete:one']));
      expect(informer.get('informed', 'one')).toBeUndefined();
      expect(informer.list('informed').map((o) => o.metadata?.name)).toEqual(['before']);
      // A handler added late still hears about what is already cached.
      const late = recorder();
      informer.addEventHandler(late.handlers);
      expect(late.events).toEqual(['add:before:0']);
    } finally {
      await factory.stop();
    }
  });

  it('see add, update and delete of a custom resource (KusciaJob) and filter by label selector', async () => {
    const jobs = new ResourceClient<CustomObject>(clients.api, KUSCIA_JOBS);
    const factory = new SharedInformerFactory({ kubeConfig: clients.kubeConfig, log });
    const all = factory.informerFor<CustomObject>(KUSCIA_JOBS, { namespace: 'cross-domain' });
    const red = factory.informerFor<CustomObject>(KUSCIA_JOBS, { namespace: 'cross-domain', labelSelector: 'team=red' });
    const seen: string[] = [];
    const redSeen: string[] = [];
    all.addEventHandler({
      onAdd: (o) => seen.push(`add:${o.metadata?.name}`),
      onUpdate: (old, o) => seen.push(`update:${o.metadata?.name}:${old.metadata?.labels?.['team'] ?? '-'}->${o.metadata?.labels?.['team']}`),
      onDelete: (o) => seen.push(`delete:${o.metadata?.name}`),
    });
    red.addEventHandler({ onAdd: (o) => redSeen.push(`add:${o.metadata?.name}`), onDelete: (o) => redSeen.push(`delete:${o.metadata?.name}`) });
    await factory.start();
    try {
      expect(await factory.waitForCacheSync(5_000)).toBe(true);
      const created = await jobs.create(kusciaJob('job-a'));
      await jobs.create(kusciaJob('job-b'));
      await jobs.replace({ ...created, metadata: { ...created.metadata, labels: { team: 'red' } } });
      await jobs.delete('cross-domain', 'job-a');
      await eventually(() => expect(seen).toEqual(['add:job-a', 'add:job-b', 'update:job-a:-->red', 'delete:job-a']));
      // The label selector makes the relabelled job appear (add) and its deletion disappear from the filtered informer.
      await eventually(() => expect(redSeen).toEqual(['add:job-a', 'delete:job-a']));
      // Defaults from the CRD schema arrive through the watch like any field.
      expect((all.get('cross-domain', 'job-b')?.spec as { scheduleMode?: string }).scheduleMode).toBe('Strict');
    } finally {
      await factory.stop();
    }
  });

  it('resync delivers every cached object again as an update with old === new', async () => {
    await clients.core.createNamespacedConfigMap({ namespace: 'other', body: { metadata: { name: 'resynced' } } });
    const factory = new SharedInformerFactory({ kubeConfig: clients.kubeConfig, log, defaultResyncMs: 100 });
    const informer = factory.informerFor<ConfigMap>(CONFIG_MAPS, { namespace: 'other' });
    let resyncs = 0;
    informer.addEventHandler({ onUpdate: (old, o) => old === o && o.metadata?.name === 'resynced' && resyncs++ });
    await factory.start();
    try {
      await eventually(() => expect(resyncs).toBeGreaterThanOrEqual(2));
    } finally {
      await factory.stop();
    }
  });

  it('catches up by relisting after the watch breaks and the history it needs is compacted (410)', async () => {
    await clients.core.createNamespace({ body: { metadata: { name: 'relisted' } } });
    await clients.core.createNamespacedConfigMap({ namespace: 'relisted', body: { metadata: { name: 'gone-while-away' } } });
    const factory = new SharedInformerFactory({ kubeConfig: clients.kubeConfig, log });
    const informer = factory.informerFor<ConfigMap>(CONFIG_MAPS, { namespace: 'relisted' });
    const rec = recorder();
    informer.addEventHandler(rec.handlers);
    await factory.start();
    try {
      await factory.waitForCacheSync(5_000);
      // Closing the watch and compacting at once: the informer's reconnect from its last
      // resourceVersion gets 410 Expired, so it must relist and diff against its cache.
      await clients.core.deleteNamespacedConfigMap({ namespace: 'relisted', name: 'gone-while-away' });
      await clients.core.createNamespacedConfigMap({ namespace: 'relisted', body: { metadata: { name: 'new' } } });
      server.compactNow();
      server.closeAllWatches();
      await eventually(() => expect(informer.list('relisted').map((o) => o.metadata?.name)).toEqual(['new']));
      expect(rec.events).toContain('delete:gone-while-away');
      expect(rec.events).toContain('add:new:');
      await clients.core.createNamespacedConfigMap({ namespace: 'relisted', body: { metadata: { name: 'after' } } });
      await eventually(() => expect(informer.get('relisted', 'after')).toBeDefined());
    } finally {
      await factory.stop();
    }
  });

  it('keeps its cache and retries when the list fails, then syncs', async () => {
    const factory = new SharedInformerFactory({ kubeConfig: clients.kubeConfig, log });
    // Not yet served: the first list is a 404; the informer must retry rather than stop like ListWatch.
    const widgets = factory.informerFor({ group: 'example.com', version: 'v1', plural: 'widgets', namespaced: true });
    await factory.start();
    try {
      expect(widgets.hasSynced()).toBe(false);
      // Not awaited: the informer must sync by itself once the resource is served.
      void installCrd(clients.kubeConfig, {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'widgets.example.com' },
          spec: {
            group: 'example.com',
            scope: 'Namespaced',
            names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
            versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
          },
      });
      expect(await factory.waitForCacheSync(10_000)).toBe(true);
    } finally {
      await factory.stop();
    }
  });
});
