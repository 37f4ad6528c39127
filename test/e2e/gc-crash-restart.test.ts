import { CoreV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { freePort } from '../support/free-port.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, startApiServerProcess, type ApiServerProcess } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';

/**
 * kill -9 while the garbage collector and the namespace controller are busy: foreground and
 * background deletions of owners with many dependents, an orphaning and a namespace deletion are
 * acknowledged, the server is killed, and after a restart on the same data directory the work is
 * finished — nothing dangles, no finalizer of ours is stuck — and nothing else was deleted.
 */
let server: ApiServerProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  await server?.stop('SIGKILL');
  if (dataDir) await removeDir(dataDir);
});


function client(kubeconfig: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc.makeApiClient(CoreV1Api);
}

/** Runs `fn` over `items` with a few requests in flight at a time. */
async function inParallel<T>(items: T[], fn: (item: T) => Promise<unknown>, width = 8): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const ns = 'gc-crash';
const perOwner = 100;
/** More than the namespace controller deletes in one pass. */
const doomedObjects = 300;

describe('garbage collection across kill -9', () => {
  it('finishes pending deletions after a restart and deletes nothing else', async () => {
    const port = await freePort();
    server = await startApiServerProcess({ extraArgs: ['--port', String(port)] });
    dataDir = server.dataDir;
    const core = client(server.kubeconfig);
    for (const name of [ns, 'keep', 'doomed']) await core.createNamespace({ body: { metadata: { name } } });

    const cm = (name: string, namespace = ns, meta: Partial<NonNullable<V1ConfigMap['metadata']>> = {}) =>
      core.createNamespacedConfigMap({ namespace, body: { metadata: { name, ...meta }, data: { payload: 'x'.repeat(256) } } });
    const owners = new Map<string, string>();
    for (const name of ['fg-0', 'fg-1', 'fg-2', 'bg-0', 'bg-1', 'bg-2', 'orphan', 'live']) owners.set(name, (await cm(name)).metadata?.uid ?? '');
    const ref = (owner: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid: owners.get(owner) ?? '', blockOwnerDeletion: true });
    const dependents = [...owners.keys()].flatMap((owner) => Array.from({ length: owner === 'live' || owner === 'orphan' ? 20 : perOwner }, (_, i) => ({ owner, name: `${owner}-dep-${i}` })));
    await inParallel(dependents, (d) => cm(d.name, ns, { labels: { owner: d.owner }, ownerReferences: [ref(d.owner)] }));
    await inParallel(Array.from({ length: 20 }, (_, i) => i), (i) => Promise.all([cm(`plain-${i}`), cm(`keep-${i}`, 'keep')]));
    await inParallel(Array.from({ length: doomedObjects }, (_, i) => i), (i) => cm(`doomed-${i}`, 'doomed'));

    // The deletions race the kill -9, which comes as soon as the first of them is acknowledged:
    // the others may or may not have reached the disk.
    const policies: Record<string, 'Foreground' | 'Background' | 'Orphan'> = { 'fg-0': 'Foreground', 'fg-1': 'Foreground', 'fg-2': 'Foreground', 'bg-0': 'Background', 'bg-1': 'Background', 'bg-2': 'Background', orphan: 'Orphan' };
    const acknowledged = new Set<string>();
    const deletions = [
      core.deleteNamespace({ name: 'doomed' }).then(
        () => acknowledged.add('ns/doomed'),
        () => undefined,
      ),
      ...Object.entries(policies).map(([name, propagationPolicy]) =>
        core.deleteNamespacedConfigMap({ name, namespace: ns, body: { propagationPolicy } }).then(
          () => acknowledged.add(name),
          () => undefined,
        ),
      ),
    ];
    await Promise.race(deletions);
    await server.stop('SIGKILL');
    await Promise.all(deletions);
    expect(acknowledged.size).toBeGreaterThan(0);

    server = await startApiServerProcess({ dataDir, extraArgs: ['--port', String(port)] });
    const after = client(server.kubeconfig);
    const dependentsOf = (items: V1ConfigMap[], owner: string) => items.filter((i) => i.metadata?.labels?.['owner'] === owner);
    await eventually(async () => {
      const items = (await after.listNamespacedConfigMap({ namespace: ns })).items;
      const byName = new Map(items.map((i) => [i.metadata?.name ?? '', i]));
      // Nothing is left half-deleted: no deletionTimestamp (so no stuck GC finalizer), no reference to a gone owner.
      for (const item of items) {
        expect(item.metadata?.deletionTimestamp, item.metadata?.name).toBeUndefined();
        for (const r of item.metadata?.ownerReferences ?? []) expect(byName.get(r.name)?.metadata?.uid, `${item.metadata?.name} -> ${r.name}`).toBe(r.uid);
      }
      for (const owner of Object.keys(policies)) {
        const gone = !byName.has(owner);
        if (acknowledged.has(owner)) expect(gone, owner).toBe(true);
        const deps = dependentsOf(items, owner);
        // A deleted owner took its dependents along (or orphaned them); one whose DELETE never
        // reached the disk kept all of them.
        if (!gone) expect(deps.length, owner).toBe(owner === 'orphan' ? 20 : perOwner);
        else if (owner === 'orphan') expect(deps.map((d) => d.metadata?.ownerReferences)).toEqual(Array(20).fill(undefined));
        else expect(deps.length, owner).toBe(0);
      }
      // The namespace is gone — or, if its DELETE never reached the disk, untouched.
      const doomed = await after.readNamespace({ name: 'doomed' }).catch((e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e)));
      if (acknowledged.has('ns/doomed') || doomed?.status?.phase !== 'Active') expect(doomed).toBeUndefined();
      else expect((await after.listNamespacedConfigMap({ namespace: 'doomed' })).items.length).toBe(doomedObjects);
    }, 15_000, 100);

    // Nothing else went: the live owner with its dependents, and the bystanders here and elsewhere.
    const items = (await after.listNamespacedConfigMap({ namespace: ns })).items;
    expect(dependentsOf(items, 'live').length).toBe(20);
    expect(items.filter((i) => i.metadata?.name === 'live' || i.metadata?.name?.startsWith('plain-')).length).toBe(21);
    expect((await after.listNamespacedConfigMap({ namespace: 'keep' })).items.length).toBe(20);
    expect((await after.readNamespace({ name: ns })).status?.phase).toBe('Active');
  });
});
