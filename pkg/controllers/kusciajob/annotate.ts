/**
 * The annotations (and label) a job gets once, before it leaves `initialized` (Go:
 * annotateKusciaJob): whether this control plane is the initiator, and which parties are reached
 * how — partners over BFIA (`interconn-bfia-parties`, label interconn-protocol-type=bfia), partners
 * over Kuscia's own protocol (`interconn-kuscia-parties`), own domains (`interconn-self-parties`);
 * domain IDs joined by `_`. Only the initiator lists partners.
 */
import { Annotations, Labels, type KusciaJob } from '../../crd/index.ts';
import { isBFIANamespace, isPartnerNamespace, NamespaceNotFoundError, type NamespaceView } from './namespaces.ts';
import { jobPartyDomains } from './parties.ts';

export interface JobMetadataPatch {
  annotations: Record<string, string>;
  labels?: Record<string, string>;
}

/** A job cannot mix partners of both protocols. */
export class MixedInterConnProtocolsError extends Error {
  constructor(bfia: string[], kuscia: string[]) {
    super(`job mixes BFIA partners (${bfia.join(', ')}) and Kuscia partners (${kuscia.join(', ')})`);
    this.name = 'MixedInterConnProtocolsError';
  }
}

/** Whether the job was annotated already (Go's early returns in annotateKusciaJob). */
export function isAnnotated(job: KusciaJob, ownParties: readonly string[]): boolean {
  const annotations = job.metadata.annotations ?? {};
  if (Object.hasOwn(annotations, Annotations.InterConnSelfParties)) return true;
  // A job in which this control plane runs no party never gets the self-parties annotation.
  return ownParties.length === 0 && Object.hasOwn(annotations, Annotations.SelfClusterAsInitiator);
}

/**
 * The metadata to add. Throws NamespaceNotFoundError when a party's namespace is missing (Kuscia
 * retries, then fails the job) and MixedInterConnProtocolsError.
 */
export async function interConnMetadata(job: KusciaJob, namespaces: NamespaceView): Promise<JobMetadataPatch> {
  const initiatorNs = await namespaces.get(job.spec.initiator);
  if (!initiatorNs) throw new NamespaceNotFoundError(job.spec.initiator);
  const selfAsInitiator = !isPartnerNamespace(initiatorNs);
  const annotations: Record<string, string> = { [Annotations.SelfClusterAsInitiator]: String(selfAsInitiator) };
  if (selfAsInitiator) annotations[Annotations.Initiator] = job.spec.initiator;

  const bfia: string[] = [];
  const kuscia: string[] = [];
  const self: string[] = [];
  for (const domain of jobPartyDomains(job.spec)) {
    const ns = await namespaces.get(domain);
    if (!ns) throw new NamespaceNotFoundError(domain);
    if (!isPartnerNamespace(ns)) self.push(domain);
    else if (selfAsInitiator) (isBFIANamespace(ns) ? bfia : kuscia).push(domain);
  }
  if (bfia.length > 0 && kuscia.length > 0) throw new MixedInterConnProtocolsError(bfia, kuscia);
  if (bfia.length > 0) annotations[Annotations.InterConnBFIAParties] = bfia.join('_');
  if (kuscia.length > 0) annotations[Annotations.InterConnKusciaParties] = kuscia.join('_');
  if (self.length > 0) annotations[Annotations.InterConnSelfParties] = self.join('_');
  return bfia.length > 0 ? { annotations, labels: { [Labels.InterConnProtocolType]: 'bfia' } } : { annotations };
}
