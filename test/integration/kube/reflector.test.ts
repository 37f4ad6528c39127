import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../../pkg/apiserver/server.ts';
import { KubeApi, type Query } from '../../../pkg/kube/api-client.ts';
import { loadKubeConfig } from '../../../pkg/kube/client.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import { SharedInformer } from '../../../pkg/kube/shared-informer.ts';
import type { ConfigMap } from '../../../pkg/kube/wire.ts';
import { removeDir } from '../../support/apiserver-process.ts';
import { eventually } from '../../support/eventually.ts';
import { CONFIG_MAPS } from '../../support/kube-fixtures.ts';

const log = pino({ level: process.env['KUSCIA_TEST_LOG_LEVEL'] ?? 'silent' });
let server: RunningApiServer;
let dataDir: string;
let api: KubeApi;
let configMaps: ResourceClient<ConfigMap>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-reflector-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: log });
  api = new KubeApi(loadKubeConfig(server.kubeconfigPath));
  const namespaces = new ResourceClient(api, { group: '', version: 'v1', plural: 'namespaces', namespaced: false });
  for (const name of ['rewatch', 'expired']) await namespaces.create({ metadata: { name } });
  configMaps = new ResourceClient<ConfigMap>(api, CONFIG_MAPS);
});

afterAll(async () => {
  api?.close();
  await server?.stop();
  await removeDir(dataDir);
});

/**
 * Counts the informer's lists and records the query of each watch it opens. Watches wait for
 * `gate` when one is set, so a test can change things while the informer is not watching.
 */
function spyOnTransport(target: KubeApi) {
  const lists = vi.spyOn(target, 'request');
  const spy = { watches: [] as Query[], gate: undefined as Promise<void> | undefined, lists: () => lists.mock.calls.filter(([method]) => method === 'GET').length };
  const stream = target.stream.bind(target);
  vi.spyOn(target, 'stream').mockImplementation(async (path, query, handler) => {
    spy.watches.push(query);
    await spy.gate;
    return stream(path, query, handler);
  });
  return spy;
}

function names(informer: SharedInformer<ConfigMap>, namespace: string): string[] {
  return informer.list(namespace).map((o) => o.metadata?.name ?? '').sort();
}

describe('informer list + watch', () => {
  it('resumes from the last resourceVersion it saw when the server ends the watch, without listing again', async () => {
    const own = new KubeApi(loadKubeConfig(server.kubeconfigPath));
    const transport = spyOnTransport(own);
    const informer = new SharedInformer<ConfigMap>({ api: own, resource: CONFIG_MAPS, namespace: 'rewatch', watchTimeoutSeconds: 1, log });
    const added: string[] = [];
    informer.addEventHandler({ onAdd: (o) => added.push(o.metadata?.name ?? '') });
    await informer.start();
    try {
      expect(informer.hasSynced()).toBe(true);
      const first = await configMaps.create({ metadata: { name: 'during-first-watch', namespace: 'rewatch' } });
      await eventually(() => expect(added).toEqual(['during-first-watch']));
      // The server ends each watch after 1 s; the next one starts where the informer left off.
      await eventually(() => expect(transport.watches.length).toBeGreaterThanOrEqual(2), 5_000);
      expect(transport.watches[0]?.['allowWatchBookmarks']).toBe('true');
      expect(transport.watches[1]?.['resourceVersion']).toBe(first.metadata?.resourceVersion);
      await configMaps.create({ metadata: { name: 'during-second-watch', namespace: 'rewatch' } });
      await eventually(() => expect(added).toEqual(['during-first-watch', 'during-second-watch']));
      expect(transport.lists()).toBe(1);
    } finally {
      await informer.stop();
      own.close();
    }
  });

  it('relists at once when the history it would resume from is compacted (410), deleting what is gone', async () => {
    const own = new KubeApi(loadKubeConfig(server.kubeconfigPath));
    const transport = spyOnTransport(own);
    await configMaps.create({ metadata: { name: 'deleted-while-away', namespace: 'expired' } });
    const informer = new SharedInformer<ConfigMap>({ api: own, resource: CONFIG_MAPS, namespace: 'expired', log });
    const events: string[] = [];
    informer.addEventHandler({ onAdd: (o) => events.push(`add:${o.metadata?.name}`), onDelete: (o) => events.push(`delete:${o.metadata?.name}`) });
    await informer.start();
    try {
      // Seen through the watch: the watch is open on the server.
      await configMaps.create({ metadata: { name: 'marker', namespace: 'expired' } });
      await eventually(() => expect(events).toContain('add:marker'));
      let open = () => {};
      transport.gate = new Promise<void>((resolve) => (open = resolve));
      // The watch ends; while the informer is reconnecting, objects change and the history it
      // would resume from is compacted: the watch from its last resourceVersion gets ERROR 410.
      server.closeAllWatches();
      await eventually(() => expect(transport.watches.length).toBe(2));
      await configMaps.delete('expired', 'deleted-while-away');
      await configMaps.create({ metadata: { name: 'created-while-away', namespace: 'expired' } });
      server.compactNow();
      open();
      await eventually(() => expect(names(informer, 'expired')).toEqual(['created-while-away', 'marker']), 5_000);
      expect(events).toContain('delete:deleted-while-away');
      expect(events).toContain('add:created-while-away');
      expect(transport.lists()).toBe(2);
    } finally {
      await informer.stop();
      own.close();
    }
  });

  it('relists instead of skipping a watch line that does not parse', async () => {
    const cm = (name: string, rv: string) => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });
    const lists: Array<() => object> = [
      () => ({ metadata: { resourceVersion: '1' }, items: [cm('a', '1')] }),
      () => ({ metadata: { resourceVersion: '3' }, items: [cm('a', '1'), cm('b', '2'), cm('c', '3')] }),
    ];
    let listCalls = 0;
    const stub: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stub');
      if (url.searchParams.get('watch') !== 'true') {
        const body = lists[Math.min(listCalls++, lists.length - 1)]!();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      if (url.searchParams.get('resourceVersion') === '1') {
        // One good event, a broken one, then one that must not be applied after the broken line.
        res.write(`${JSON.stringify({ type: 'ADDED', object: cm('b', '2') })}\n{"type":"ADDED","object":{"metadata":\n`);
        res.write(`${JSON.stringify({ type: 'DELETED', object: cm('a', '1') })}\n`);
      }
      // Otherwise: stays open, quiet.
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'stub', server: `http://127.0.0.1:${(stub.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'anyone' }],
      contexts: [{ name: 'stub', cluster: 'stub', user: 'anyone' }],
      currentContext: 'stub',
    });
    const stubApi = new KubeApi(kc);
    const informer = new SharedInformer<ConfigMap>({ api: stubApi, resource: CONFIG_MAPS, namespace: 'ns', log });
    const events: string[] = [];
    informer.addEventHandler({ onAdd: (o) => events.push(`add:${o.metadata?.name}`), onDelete: (o) => events.push(`delete:${o.metadata?.name}`) });
    try {
      await informer.start();
      await eventually(() => expect(names(informer, 'ns')).toEqual(['a', 'b', 'c']), 5_000);
      expect(listCalls).toBe(2);
      expect(events).toEqual(['add:a', 'add:b', 'add:c']);
    } finally {
      await informer.stop();
      stubApi.close();
      stub.closeAllConnections();
      await new Promise((resolve) => stub.close(resolve));
    }
  });
});
