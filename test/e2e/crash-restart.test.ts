import { CoreV1Api, KubeConfig, makeInformer } from '@kubernetes/client-node';
import { freePort } from '../support/free-port.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, startApiServerProcess, type ApiServerProcess } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';

/**
 * kill -9 in the middle of a stream of writes: every write the server acknowledged must be there
 * after a restart on the same data directory, with the same resourceVersion, and a client that
 * was watching resumes from where it was.
 */
let server: ApiServerProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  await server?.stop('SIGKILL');
  if (dataDir) await removeDir(dataDir);
});


function client(kubeconfig: string): { kc: KubeConfig; core: CoreV1Api } {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { kc, core: kc.makeApiClient(CoreV1Api) };
}

describe('crash safety of the SQLite storage', () => {
  it('keeps every acknowledged write across kill -9 and lets watchers resume', async () => {
    const port = await freePort();
    server = await startApiServerProcess({ extraArgs: ['--port', String(port)] });
    dataDir = server.dataDir;
    const { kc, core } = client(server.kubeconfig);
    await core.createNamespace({ body: { metadata: { name: 'crash' } } });

    const watched = new Map<string, string>();
    const informer = makeInformer(kc, '/api/v1/namespaces/crash/configmaps', () => core.listNamespacedConfigMap({ namespace: 'crash' }));
    informer.on('add', (o) => watched.set(o.metadata?.name ?? '', o.metadata?.resourceVersion ?? ''));
    informer.on('update', (o) => watched.set(o.metadata?.name ?? '', o.metadata?.resourceVersion ?? ''));
    informer.on('error', () => undefined);
    await informer.start();

    // Eight concurrent writers; record what the server acknowledged.
    const acknowledged = new Map<string, string>();
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const name = `w${w}-${i}`;
        try {
          const created = await core.createNamespacedConfigMap({ namespace: 'crash', body: { metadata: { name }, data: { payload: 'x'.repeat(512) } } });
          acknowledged.set(name, created.metadata?.resourceVersion ?? '');
        } catch {
          return; // the server died under us: this write was not acknowledged
        }
      }
    });
    await eventually(() => expect(acknowledged.size).toBeGreaterThan(200), 20_000);
    await server.stop('SIGKILL');
    stop = true;
    await Promise.all(writers);

    server = await startApiServerProcess({ dataDir, extraArgs: ['--port', String(port)] });
    const after = client(server.kubeconfig).core;
    const list = await after.listNamespacedConfigMap({ namespace: 'crash' });
    const stored = new Map(list.items.map((i) => [i.metadata?.name ?? '', i.metadata?.resourceVersion ?? '']));
    for (const [name, rv] of acknowledged) expect(stored.get(name), name).toBe(rv);

    // The informer was cut off by the crash; restarted, it resumes from its last resourceVersion.
    await informer.stop();
    await informer.start();
    try {
      await after.createNamespacedConfigMap({ namespace: 'crash', body: { metadata: { name: 'after-restart' } } });
      await eventually(() => expect(watched.has('after-restart')).toBe(true));
      for (const [name] of acknowledged) expect(watched.has(name), name).toBe(true);
    } finally {
      await informer.stop();
    }

    // SIGTERM is a graceful stop: exit code 0, and the database opens again right away.
    expect(await server.stop('SIGTERM')).toBe(0);
    server = await startApiServerProcess({ dataDir, extraArgs: ['--port', String(port)] });
    const reopened = await client(server.kubeconfig).core.readNamespacedConfigMap({ namespace: 'crash', name: 'after-restart' });
    expect(reopened.metadata?.name).toBe('after-restart');
  });
});
