import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../../pkg/apiserver/server.ts';
import { loadKubeConfig, makeKubeClients, type KubeClients } from '../../../pkg/kube/client.ts';
import { ResourceClient } from '../../../pkg/kube/resource-client.ts';
import type { CustomObject } from '../../../pkg/kube/wire.ts';
import { Controller } from '../../../pkg/kube/controller.ts';
import { SharedInformerFactory } from '../../../pkg/kube/informer-factory.ts';
import { splitObjectKey } from '../../../pkg/kube/object-key.ts';
import { updateStatusWithRetry } from '../../../pkg/kube/status-update.ts';
import { removeDir } from '../../support/apiserver-process.ts';
import { eventually } from '../../support/eventually.ts';
import { installKusciaJobCrd, KUSCIA_JOBS, kusciaJob } from '../../support/kube-fixtures.ts';

type JobStatus = { phase?: string; message?: string; reason?: string };
type Job = CustomObject<unknown, JobStatus>;

const log = pino({ level: 'error' });
let server: RunningApiServer;
let dataDir: string;
let clients: KubeClients;
let jobs: ResourceClient<Job>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-kube-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: log });
  clients = makeKubeClients(loadKubeConfig(server.kubeconfigPath));
  await installKusciaJobCrd(clients.kubeConfig);
  await clients.core.createNamespace({ body: { metadata: { name: 'cross-domain' } } });
  jobs = new ResourceClient<Job>(clients.api, KUSCIA_JOBS);
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

/** An informer on KusciaJobs feeding a controller, started and synced. */
async function startJobController(reconcile: (key: string, cached: Job | undefined) => Promise<void>, extra: Partial<ConstructorParameters<typeof Controller>[0]> = {}) {
  const factory = new SharedInformerFactory({ kubeConfig: clients.kubeConfig, log });
  const informer = factory.informerFor<Job>(KUSCIA_JOBS, { namespace: 'cross-domain' });
  const controller = new Controller({ name: 'test-kusciajob', log, workers: 4, reconcile: (key) => reconcile(key, informer.getByKey(key)), ...extra });
  informer.addEventHandler({ onAdd: (o) => controller.enqueue(o), onUpdate: (_, o) => controller.enqueue(o), onDelete: (o) => controller.enqueue(o) });
  await factory.start();
  await factory.waitForCacheSync(5_000);
  controller.run();
  return {
    stop: async () => {
      await controller.stop();
      await factory.stop();
    },
  };
}

describe('controller runner', () => {
  it('reconciles with a status write that hits a conflict, rereads and retries', async () => {
    const triesPerWrite: number[] = [];
    let interfered = false;
    const running = await startJobController(async (key, cached) => {
      if (!cached || cached.status?.phase === 'Running') return;
      const { namespace, name } = splitObjectKey(key);
      if (!interfered) {
        interfered = true;
        // Another writer changes the object after our informer saw it: our copy is now stale.
        const fresh = await jobs.get(namespace, name);
        await jobs.replaceStatus({ ...fresh, status: { message: 'written by someone else' } });
      }
      let tries = 0;
      await updateStatusWithRetry(
        jobs,
        namespace,
        name,
        (job) => {
          tries++;
          if (job.status?.phase === 'Running') return false; // idempotent: nothing left to do
          job.status = { ...job.status, phase: 'Running' };
        },
        { current: cached },
      );
      triesPerWrite.push(tries);
    });
    try {
      await jobs.create(kusciaJob('conflicted'));
      await eventually(async () => expect((await jobs.get('cross-domain', 'conflicted')).status?.phase).toBe('Running'));
      const stored = await jobs.get('cross-domain', 'conflicted');
      // The retry re-applied our change on top of the other writer's, which is kept.
      expect(stored.status).toMatchObject({ phase: 'Running', message: 'written by someone else' });
      // First write: 409 on the stale copy, then success on the fresh one.
      expect(triesPerWrite[0]).toBe(2);
    } finally {
      await running.stop();
    }
  });

  it('gives up after 3 requeues and hands the key and the last error to the max-retries hook', async () => {
    const attempts = new Map<string, number>();
    const running = await startJobController(
      async (key) => {
        const n = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, n);
        if (key.endsWith('/doomed')) throw new Error(`attempt ${n} failed`);
      },
      {
        maxRetries: 3,
        onMaxRetries: async (key, lastError) => {
          const { namespace, name } = splitObjectKey(key);
          await updateStatusWithRetry(jobs, namespace, name, (job) => {
            job.status = { ...job.status, phase: 'Failed', message: `KusciaJob failed after 3x retry, last error: ${(lastError as Error).message}` };
          });
        },
      },
    );
    try {
      await jobs.create(kusciaJob('doomed'));
      await jobs.create(kusciaJob('fine'));
      await eventually(async () => expect((await jobs.get('cross-domain', 'doomed')).status?.phase).toBe('Failed'));
      // The hook gets the last error: attempt 4 (first try + 3 requeues), or later when an extra event for the
      // object (e.g. a watch reconnect under load) re-queued it in between.
      const message = (await jobs.get('cross-domain', 'doomed')).status?.message ?? '';
      const attempt = /^KusciaJob failed after 3x retry, last error: attempt (\d+) failed$/.exec(message);
      expect(attempt, message).not.toBeNull();
      expect(Number(attempt![1])).toBeGreaterThanOrEqual(4);
      // The hook's own status write triggers one more (failing) reconcile; it gets a fresh backoff budget.
      expect(attempts.get('cross-domain/doomed')).toBeGreaterThanOrEqual(4);
      expect(attempts.get('cross-domain/fine')).toBe(1);
    } finally {
      await running.stop();
    }
  });

  it('never reconciles one key on two workers at once, however often it is enqueued', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let reconciles = 0;
    const running = await startJobController(async (key) => {
      if (key !== 'cross-domain/busy') return;
      inFlight++;
      reconciles++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
    });
    try {
      const created = await jobs.create(kusciaJob('busy'));
      let current = created;
      for (let i = 0; i < 10; i++) current = await jobs.replace({ ...current, metadata: { ...current.metadata, labels: { n: String(i) } } });
      await eventually(() => expect(inFlight).toBe(0));
      await new Promise((r) => setTimeout(r, 50));
      expect(maxInFlight).toBe(1);
      // Updates that arrive while the key is queued collapse into one reconcile.
      expect(reconciles).toBeLessThan(11);
    } finally {
      await running.stop();
    }
  });
});
