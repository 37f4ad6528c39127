/**
 * Which parties this cluster controls. A party whose namespace carries `kuscia.secretflow/role=partner`
 * belongs to another Kuscia cluster (its TaskResource is mirrored there by interconn); every other
 * party is ours.
 */
import { Annotations, Labels } from '../../crd/constants.ts';
import type { TaskResourceGroup } from '../../crd/resource.ts';
import type { TrgDeps } from './deps.ts';

const PARTNER_ROLE = 'partner';

export function isPartnerDomain(deps: TrgDeps, domainID: string): boolean {
  return deps.namespaces.get('', domainID)?.metadata?.labels?.[Labels.DomainRole] === PARTNER_ROLE;
}

/**
 * Whether this cluster is the task's initiator: the `self-cluster-as-initiator` annotation when the
 * task controller set it, else whether the initiator's namespace is one of ours.
 */
export function selfClusterIsInitiator(deps: TrgDeps, trg: TaskResourceGroup): boolean {
  const annotated = trg.metadata.annotations?.[Annotations.SelfClusterAsInitiator];
  if (annotated === 'true') return true;
  if (annotated === 'false') return false;
  return !isPartnerDomain(deps, trg.spec.initiator);
}

/** The parties whose TaskResource this cluster creates: its own, plus the partners' when it initiates. */
export function partiesWithTaskResources(deps: TrgDeps, trg: TaskResourceGroup) {
  const own = trg.spec.parties ?? [];
  return selfClusterIsInitiator(deps, trg) ? [...own, ...(trg.spec.outOfControlledParties ?? [])] : own;
}
