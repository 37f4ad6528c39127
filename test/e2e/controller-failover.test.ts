/**
 * Killing the controller process mid-job (kill -9, no lease release): a second `kuscia controllers`
 * process takes the Lease over and finishes the job, and nothing was created twice. Everything is a
 * real process (API server, two controller managers, the scheduler); the test agent plays the nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKusciaClients, type KusciaClients } from '../../pkg/controllers/common/clients.ts';
import { CROSS_DOMAIN_NAMESPACE, type KusciaJob } from '../../pkg/crd/index.ts';
import { KubeApi } from '../../pkg/kube/api-client.ts';
import { loadKubeConfig } from '../../pkg/kube/client.ts';
import { SharedInformerFactory } from '../../pkg/kube/informer-factory.ts';
import type { Pod } from '../../pkg/kube/wire.ts';
import { pino } from 'pino';
import { removeDir, startApiServerProcess, type ApiServerProcess } from '../support/apiserver-process.ts';
import { installAllKusciaCrds } from '../support/controller-env.ts';
import { eventually } from '../support/eventually.ts';
import { startKusciaProcess, type KusciaProcess } from '../support/kuscia-process.ts';
import { applyExampleDomainsAndAppImage, tasksOfJob, waitForJobPhase } from '../support/orchestration.ts';
import { PodRecorder } from '../support/pod-recorder.ts';
import { startTestAgent, type TestAgent } from '../support/test-agent.ts';

const log = pino({ level: 'silent' });
let apiserver: ApiServerProcess;
let api: KubeApi;
let clients: KusciaClients;
let informers: SharedInformerFactory;
let agent: TestAgent;
const processes: KusciaProcess[] = [];

// The test agent's nodes renew no Lease: keep the node lifecycle controller from failing their pods.
const TEST_AGENT_GRACE = ['--node-monitor-grace-period', '1h'];
const LEASE_FLAGS = ['--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '500ms', '--healthz-port', '0', '--log-level', 'warn'];

beforeAll(async () => {
  apiserver = await startApiServerProcess();
  const kubeConfig = loadKubeConfig(apiserver.kubeconfig);
  await installAllKusciaCrds(kubeConfig);
  api = new KubeApi(kubeConfig);
  clients = makeKusciaClients(api);
  await clients.namespaces.create({ metadata: { name: CROSS_DOMAIN_NAMESPACE } });
  informers = new SharedInformerFactory({ kubeConfig, log });
  await informers.start();
  processes.push(await startKusciaProcess(['scheduler', '--kubeconfig', apiserver.kubeconfig, ...LEASE_FLAGS]));
  await applyExampleDomainsAndAppImage(clients);
  agent = await startTestAgent({
    clients,
    log,
    nodes: [
      { name: 'alice-1', domain: 'alice', cpu: '8', memory: '16Gi', pods: 110 },
      { name: 'bob-1', domain: 'bob', cpu: '8', memory: '16Gi', pods: 110 },
    ],
    // Each task's pods run for a while, so the kill lands in the middle of the DAG.
    behaviour: () => ({ outcome: 'succeed', runMs: 1_500 }),
  });
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  for (const p of processes) await p.stop();
  await informers?.stop();
  api?.close();
  await apiserver?.stop();
  if (apiserver) await removeDir(apiserver.dataDir);
});

describe('controller failover', () => {
  it('kill -9 of the leading controller process mid-job: the standby finishes the job without duplicate tasks or pods', async () => {
    const recorder = new PodRecorder(informers);
    const seenTaskUids = new Map<string, Set<string>>();
    informers.informerFor<KusciaJob>({ group: 'kuscia.secretflow', version: 'v1alpha1', plural: 'kusciatasks', namespaced: true }).addEventHandler({
      onAdd: (t) => seenTaskUids.set(t.metadata.name!, (seenTaskUids.get(t.metadata.name!) ?? new Set()).add(t.metadata.uid!)),
    });
    await informers.waitForCacheSync();

    const first = await startKusciaProcess(['controllers', '--kubeconfig', apiserver.kubeconfig, ...LEASE_FLAGS, ...TEST_AGENT_GRACE]);
    processes.push(first);
    await eventually(async () => expect((await fetch(`${first.healthUrl}/healthz`)).status).toBe(200));
    const standby = await startKusciaProcess(['controllers', '--kubeconfig', apiserver.kubeconfig, ...LEASE_FLAGS, ...TEST_AGENT_GRACE]);
    processes.push(standby);

    const tasks = ['a', 'b', 'c'].map((alias, i) => ({
      alias,
      taskID: `failover-${alias}`,
      appImage: 'secretflow-image',
      taskInputConfig: '{}',
      dependencies: i === 0 ? undefined : [['a', 'b', 'c'][i - 1]!],
      parties: [{ domainID: 'alice' }, { domainID: 'bob' }],
    }));
    await clients.kusciaJobs.create({ apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'KusciaJob', metadata: { name: 'failover', namespace: CROSS_DOMAIN_NAMESPACE }, spec: { initiator: 'alice', tasks } } as KusciaJob);

    // Kill the leader while task a's pods run (so task a is mid-flight and b not yet created).
    await eventually(() => expect(recorder.podsOf('failover-a').filter((p) => (p.phases as string[]).includes('Running'))).toHaveLength(2), 30_000);
    const leader = (await clients.api.request<{ spec: { holderIdentity: string } }>('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kuscia-controller-manager')).spec.holderIdentity;
    expect(leader).toBeTruthy();
    await first.stop('SIGKILL');

    const done = await waitForJobPhase(clients, 'failover', ['Succeeded'], 60_000);
    expect(done.status?.taskStatus).toEqual({ 'failover-a': 'Succeeded', 'failover-b': 'Succeeded', 'failover-c': 'Succeeded' });
    const newLeader = (await clients.api.request<{ spec: { holderIdentity: string } }>('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kuscia-controller-manager')).spec.holderIdentity;
    expect(newLeader).not.toBe(leader);

    // Exactly one KusciaTask per taskID ever existed, and every task pod name was created once.
    expect((await tasksOfJob(clients, done)).map((t) => t.metadata.name).sort()).toEqual(['failover-a', 'failover-b', 'failover-c']);
    for (const [name, uids] of seenTaskUids) expect(uids.size, name).toBe(1);
    for (const t of ['failover-a', 'failover-b', 'failover-c']) {
      expect(recorder.podsOf(t), t).toHaveLength(2);
      expect(recorder.duplicateNames(t), t).toEqual([]);
    }
    const pods = await clients.pods.list('alice');
    expect(pods.items.filter((p: Pod) => p.metadata?.name?.startsWith('failover-'))).toEqual([]);
  }, 120_000);
});
