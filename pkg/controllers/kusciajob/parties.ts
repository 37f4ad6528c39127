/**
 * The parties (domains) of a job and which of them this control plane runs. "Own" parties are
 * domains whose namespace is not a partner's; their stage and approval status is ours to write.
 */
import { Annotations, type KusciaJob, type KusciaJobSpec } from '../../crd/index.ts';
import { isPartnerNamespace, type NamespaceView } from './namespaces.ts';

/** Every domain taking part in any task, once, in spec order. */
export function jobPartyDomains(spec: Pick<KusciaJobSpec, 'tasks'>): string[] {
  const domains = new Set<string>();
  for (const task of spec.tasks ?? []) for (const party of task.parties ?? []) domains.add(party.domainID);
  return [...domains];
}

/**
 * The job's domains run by this control plane. A domain whose namespace is missing counts as own
 * (it cannot be a partner without its labelled namespace; initialization already refuses jobs whose
 * party namespaces are missing).
 */
export async function ownPartyDomains(job: KusciaJob, namespaces: NamespaceView): Promise<string[]> {
  const own: string[] = [];
  for (const domain of jobPartyDomains(job.spec)) {
    if (!isPartnerNamespace(await namespaces.get(domain))) own.push(domain);
  }
  return own;
}

/**
 * Whether this control plane schedules the job (Kuscia: SelfClusterAsInitiator): the annotation
 * written at initialization when present, else the initiator's namespace exists and is not a partner.
 */
export async function selfClusterAsInitiator(job: KusciaJob, namespaces: NamespaceView): Promise<boolean> {
  const annotated = job.metadata.annotations?.[Annotations.SelfClusterAsInitiator];
  if (annotated === 'true') return true;
  if (annotated === 'false') return false;
  const ns = await namespaces.get(job.spec.initiator);
  return ns !== undefined && !isPartnerNamespace(ns);
}
