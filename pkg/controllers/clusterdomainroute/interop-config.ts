import type { ClusterDomainRoute, DomainRouteToken, InteropConfig } from '../../crd/index.ts';
import { kusciaOwnerReference } from '../common/resources.ts';
import { routeNeedsToken } from '../domainroute/validate.ts';
import { isPartner, type RouteDomains } from './route-domains.ts';

export function interopConfigName(source: string, destination: string): string {
  return `${source}-2-${destination}`;
}

/**
 * Kuscia declares the destination the job host for the source when the source is ours and the
 * destination a partner that is its own master (a peer control plane), over the kuscia protocol.
 */
export function needsInteropConfig(cdr: ClusterDomainRoute, domains: RouteDomains): boolean {
  const dst = domains.destination;
  return !isPartner(domains.source) && isPartner(dst) && dst.spec?.master === dst.metadata.name && cdr.spec?.interConnProtocol !== 'bfia';
}

/** Created once the route works: a token exists, or the route needs none. */
export function interopConfigDue(cdr: ClusterDomainRoute, sourceTokens: readonly DomainRouteToken[]): boolean {
  return !routeNeedsToken(cdr.spec) || sourceTokens.length > 0;
}

export function desiredInteropConfig(cdr: ClusterDomainRoute): InteropConfig {
  const source = cdr.spec?.source ?? '';
  const destination = cdr.spec?.destination ?? '';
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'InteropConfig',
    metadata: { name: interopConfigName(source, destination), ownerReferences: [kusciaOwnerReference('ClusterDomainRoute', cdr)] },
    spec: { host: destination, members: [source] },
  };
}
