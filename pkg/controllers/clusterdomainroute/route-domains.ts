import { DomainRole, Labels, type ClusterDomainRoute, type Domain } from '../../crd/index.ts';

/** The two Domains a ClusterDomainRoute joins. */
export interface RouteDomains {
  source: Domain;
  destination: Domain;
}

export function isPartner(domain: Domain): boolean {
  return domain.spec?.role === DomainRole.Partner;
}

/**
 * The labels Kuscia keeps on a ClusterDomainRoute (and copies to its DomainRoutes): its source and
 * destination, and — when one side is a partner, the source first — `kuscia.secertflow/domainroute-partner`
 * (misspelled as in Kuscia). Labels of others are kept; the partner label is never removed.
 */
export function desiredRouteLabels(cdr: ClusterDomainRoute, domains: RouteDomains): Record<string, string> {
  const labels: Record<string, string> = {
    ...cdr.metadata.labels,
    [Labels.ClusterDomainRouteSource]: cdr.spec?.source ?? '',
    [Labels.ClusterDomainRouteDestination]: cdr.spec?.destination ?? '',
  };
  if (isPartner(domains.source)) labels[Labels.DomainRoutePartner] = domains.source.metadata.name ?? '';
  else if (isPartner(domains.destination)) labels[Labels.DomainRoutePartner] = domains.destination.metadata.name ?? '';
  return labels;
}

/**
 * A P2P peer control plane (a kuscia-protocol partner that is its own master) calls our API server
 * through the gateway: its requests get `Authorization: Bearer <token of ServiceAccount <domain>>`.
 */
export function isPeerControlPlane(domain: Domain): boolean {
  const name = domain.metadata.name ?? '';
  return isPartner(domain) && domain.spec?.interConnProtocols?.[0] === 'kuscia' && (!domain.spec.master || domain.spec.master === name);
}
