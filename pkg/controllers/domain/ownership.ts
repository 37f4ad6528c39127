import { API_VERSION, GROUP, Labels, type Domain } from '../../crd/index.ts';
import type { ObjectMeta } from '../../kube/wire.ts';
import { kusciaOwnerReference } from '../common/resources.ts';

type OwnerReference = NonNullable<ObjectMeta['ownerReferences']>[number];

/** The label every object the Domain controller creates carries: its informers select on it. */
export function domainLabel(domain: Domain): Record<string, string> {
  return { [Labels.DomainName]: domain.metadata.name ?? '' };
}

export function domainOwnerReference(domain: Domain): OwnerReference {
  return kusciaOwnerReference('Domain', domain);
}

/**
 * `refs` with the current Domain as controller owner: a reference to an earlier Domain of the same
 * name (deleted and re-created) is replaced, since the garbage collector would delete the object
 * for it; other owners are kept.
 */
export function withDomainOwner(refs: readonly OwnerReference[] | undefined, domain: Domain): OwnerReference[] {
  const others = (refs ?? []).filter((r) => !(r.kind === 'Domain' && r.apiVersion.startsWith(`${GROUP}/`)));
  return [...others, domainOwnerReference(domain)];
}

/** The object carries kuscia.secretflow/domain-name=<this domain>. */
export function hasDomainLabel(meta: ObjectMeta | undefined, domain: Domain): boolean {
  return meta?.labels?.[Labels.DomainName] === (domain.metadata.name ?? '');
}

/** True when `meta` already has our label and exactly the current Domain as Domain owner. */
export function ownedBy(meta: ObjectMeta | undefined, domain: Domain): boolean {
  if (!meta || !hasDomainLabel(meta, domain)) return false;
  const domainRefs = (meta.ownerReferences ?? []).filter((r) => r.kind === 'Domain' && r.apiVersion.startsWith(`${GROUP}/`));
  return domainRefs.length === 1 && domainRefs[0].uid === domain.metadata.uid && domainRefs[0].apiVersion === API_VERSION && domainRefs[0].controller === true;
}

/** A copy of `meta` with our label added (others kept) and the current Domain as owner. */
export function adoptedMeta(meta: ObjectMeta | undefined, domain: Domain): ObjectMeta {
  return {
    ...meta,
    labels: { ...meta?.labels, ...domainLabel(domain) },
    ownerReferences: withDomainOwner(meta?.ownerReferences, domain),
  };
}
