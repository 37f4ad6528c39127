import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CROSS_DOMAIN_NAMESPACE, Labels, type KusciaJob, type KusciaTask } from '../../pkg/crd/index.ts';
import type { KusciaClients } from '../../pkg/controllers/common/clients.ts';
import { repoRoot } from './apiserver-process.ts';
import { eventually } from './eventually.ts';

/** Applies the Domains and the AppImage of deploy/examples, as the README's tour does with kubectl. */
export async function applyExampleDomainsAndAppImage(clients: KusciaClients): Promise<void> {
  for (const file of ['domains.yaml', 'appimage-secretflow.yaml']) {
    for (const doc of parseAllDocuments(await readFile(join(repoRoot, 'deploy/examples', file), 'utf8'))) {
      const obj = doc.toJS() as { kind: string };
      if (obj.kind === 'Domain') await clients.domains.create(obj as never);
      else if (obj.kind === 'AppImage') await clients.appImages.create(obj as never);
    }
  }
}

/** Creates Domains (the Domain controller makes their namespaces) and waits for the namespaces. */
export async function createDomains(clients: KusciaClients, ...names: string[]): Promise<void> {
  for (const name of names) await clients.domains.create({ apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'Domain', metadata: { name }, spec: {} });
  await eventually(async () => {
    for (const name of names) await clients.namespaces.get('', name);
  }, 15_000);
}

export async function waitForJobPhase(clients: KusciaClients, name: string, phases: string[], timeoutMs = 30_000): Promise<KusciaJob> {
  let job: KusciaJob | undefined;
  await eventually(async () => {
    job = await clients.kusciaJobs.get(CROSS_DOMAIN_NAMESPACE, name);
    if (!phases.includes(job.status?.phase ?? '')) throw new Error(`job ${name} is ${job.status?.phase ?? '(none)'} (${job.status?.message ?? ''}), waiting for ${phases.join('|')}`);
  }, timeoutMs, 100);
  return job!;
}

export async function tasksOfJob(clients: KusciaClients, job: KusciaJob): Promise<KusciaTask[]> {
  const list = await clients.kusciaTasks.list(CROSS_DOMAIN_NAMESPACE, { labelSelector: `${Labels.JobUID}=${job.metadata.uid}` });
  return list.items;
}
