/**
 * Watches the KusciaJobs of cross-domain and records when each one is first seen in a terminal
 * phase (Succeeded / Failed), as observed by this process through the watch. The load generator
 * waits on it to free a concurrency slot.
 */
import type { Logger } from 'pino';
import type { KubeConfig } from '@kubernetes/client-node';
import { KusciaResources } from '../../pkg/controllers/common/resources.ts';
import { CROSS_DOMAIN_NAMESPACE, type KusciaJob } from '../../pkg/crd/index.ts';
import { SharedInformerFactory } from '../../pkg/kube/informer-factory.ts';

const TERMINAL = new Set(['Succeeded', 'Failed']);

export interface JobOutcome {
  phase: string;
  /** performance.now() when the watch delivered the terminal phase. */
  at: number;
  message: string;
}

export interface JobTracker {
  /** Resolves with the outcome once the job is terminal (at once if it already is). */
  whenDone(name: string): Promise<JobOutcome>;
  outcome(name: string): JobOutcome | undefined;
  /** The cached job (the last state the watch delivered). */
  get(name: string): KusciaJob | undefined;
  doneCount(): number;
  stop(): Promise<void>;
}

export async function startJobTracker(kubeConfig: KubeConfig, log: Logger): Promise<JobTracker> {
  const factory = new SharedInformerFactory({ kubeConfig, log });
  const informer = factory.informerFor<KusciaJob>(KusciaResources.kusciaJobs, { namespace: CROSS_DOMAIN_NAMESPACE });
  const outcomes = new Map<string, JobOutcome>();
  const waiters = new Map<string, Array<(o: JobOutcome) => void>>();

  const observe = (job: KusciaJob) => {
    const name = job.metadata.name ?? '';
    const phase = job.status?.phase ?? '';
    if (!TERMINAL.has(phase) || outcomes.has(name)) return;
    const o = { phase, at: performance.now(), message: job.status?.message ?? '' };
    outcomes.set(name, o);
    for (const resolve of waiters.get(name) ?? []) resolve(o);
    waiters.delete(name);
  };
  informer.addEventHandler({ onAdd: observe, onUpdate: (_old, job) => observe(job) });
  await factory.start();
  if (!(await factory.waitForCacheSync(30_000))) throw new Error('KusciaJob watch did not sync');

  return {
    whenDone(name) {
      const o = outcomes.get(name);
      if (o) return Promise.resolve(o);
      return new Promise((resolve) => {
        const list = waiters.get(name) ?? [];
        list.push(resolve);
        waiters.set(name, list);
      });
    },
    outcome: (name) => outcomes.get(name),
    get: (name) => informer.getByKey(`${CROSS_DOMAIN_NAMESPACE}/${name}`),
    doneCount: () => outcomes.size,
    stop: () => factory.stop(),
  };
}
