import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../../pkg/apiserver/server.ts';
import type { ControllerContext, KusciaController } from '../../../pkg/controllers/common/controller-context.ts';
import { KusciaResources } from '../../../pkg/controllers/common/resources.ts';
import { startControllerManager, type ControllerRegistration, type RunningControllerManager } from '../../../pkg/controllers/manager/manager.ts';
import { KubeApi } from '../../../pkg/kube/api-client.ts';
import { loadKubeConfig } from '../../../pkg/kube/client.ts';
import { Controller } from '../../../pkg/kube/controller.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import { splitObjectKey } from '../../../pkg/kube/object-key.ts';
import type { CustomObject } from '../../../pkg/kube/wire.ts';
import { removeDir } from '../../support/apiserver-process.ts';
import { eventually } from '../../support/eventually.ts';
import { installKusciaJobCrd, kusciaJob } from '../../support/kube-fixtures.ts';

const log = pino({ level: 'silent' });
let server: RunningApiServer;
let dataDir: string;
let api: KubeApi;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-manager-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: log });
  api = new KubeApi(loadKubeConfig(server.kubeconfigPath));
  await new ResourceClient(api, { group: '', version: 'v1', plural: 'namespaces', namespaced: false }).create({ metadata: { name: 'cross-domain' } });
});

afterAll(async () => {
  api?.close();
  await server?.stop();
  await removeDir(dataDir);
});

/** A controller that stamps every KusciaJob with the identity of the manager running it. */
function stampingController(identity: string): ControllerRegistration {
  return {
    name: 'stamper',
    requires: [KusciaResources.kusciaJobs],
    factory: (ctx: ControllerContext): KusciaController => {
      const jobs = new ResourceClient<CustomObject>(ctx.clients.api, KusciaResources.kusciaJobs);
      const informer = ctx.informers.informerFor<CustomObject>(KusciaResources.kusciaJobs);
      const controller = new Controller({
        name: 'stamper',
        log: ctx.log,
        reconcile: async (key) => {
          const { namespace, name } = splitObjectKey(key);
          const job = informer.get(namespace, name);
          if (!job || job.metadata?.annotations?.['stamped-by'] === identity) return;
          await jobs.patch(namespace, name, { metadata: { annotations: { 'stamped-by': identity } } });
        },
      });
      informer.addEventHandler({ onAdd: (o) => controller.enqueue(o), onUpdate: (_o, n) => controller.enqueue(n) });
      return { name: 'stamper', run: () => controller.run(), stop: () => controller.stop() };
    },
  };
}

const jobs = () => new ResourceClient<CustomObject>(api, KusciaResources.kusciaJobs);
const stampOf = async (name: string) => (await jobs().get('cross-domain', name)).metadata?.annotations?.['stamped-by'];
const election = (identity: string) => ({ leaseName: 'kuscia-controller-manager', identity, leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 200 });

describe('controller manager', () => {
  const managers: RunningControllerManager[] = [];
  afterAll(async () => {
    for (const m of managers) await m.stop();
  });

  it('waits for its CRDs, serves /healthz, and of two instances only the leader runs controllers; the other takes over', async () => {
    const kubeConfig = loadKubeConfig(server.kubeconfigPath);
    const first = await startControllerManager({ kubeConfig, log, controllers: [stampingController('first')], leaderElection: election('first'), health: { port: 0 } });
    managers.push(first);
    await eventually(() => expect(first.isLeader()).toBe(true));
    // The KusciaJob CRD does not exist yet: the leader waits for it instead of failing.
    const health = await fetch(`${first.healthUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');

    const second = await startControllerManager({ kubeConfig, log, controllers: [stampingController('second')], leaderElection: election('second'), health: { port: 0 } });
    managers.push(second);
    await installKusciaJobCrd(kubeConfig);
    await jobs().create(kusciaJob('j1') as CustomObject);
    await eventually(async () => expect(await stampOf('j1')).toBe('first'), 15_000);
    expect(second.isLeader()).toBe(false);

    // A second object is still handled by the leader only.
    await jobs().create(kusciaJob('j2') as CustomObject);
    await eventually(async () => expect(await stampOf('j2')).toBe('first'));

    // The leader stops (releasing the lease): the other takes over and handles new objects.
    await first.stop();
    managers.splice(managers.indexOf(first), 1);
    await eventually(() => expect(second.isLeader()).toBe(true), 5_000);
    await jobs().create(kusciaJob('j3') as CustomObject);
    await eventually(async () => expect(await stampOf('j3')).toBe('second'), 10_000);
    // The leader re-stamps what the previous leader stamped: it re-lists on taking over.
    await eventually(async () => expect(await stampOf('j1')).toBe('second'));
  });

  it('reports a failing check on /healthz/<name> and 404 for unknown checks', async () => {
    const m = managers[0]!;
    expect((await fetch(`${m.healthUrl}/healthz/leader-election`)).status).toBe(200);
    expect((await fetch(`${m.healthUrl}/healthz/nope`)).status).toBe(404);
  });
});
