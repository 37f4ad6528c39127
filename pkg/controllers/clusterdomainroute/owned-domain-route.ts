import { isDeepStrictEqual } from 'node:util';
import type { ClusterDomainRoute, DomainRoute, DomainRouteSpec } from '../../crd/index.ts';
import { isAlreadyExists, isNotFound } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import { kusciaOwnerReference } from '../common/resources.ts';

/** The DomainRoute a ClusterDomainRoute keeps in each non-partner side's namespace: `<src>-<dst>`. */
export function domainRouteName(spec: DomainRouteSpec): string {
  return `${spec.source}-${spec.destination}`;
}

export type DomainRouteOutcome =
  /** The route as stored now, and what this call did to it. */
  | { kind: 'current'; route: DomainRoute; action: 'created' | 'updated' | 'unchanged' }
  /** Deleted to be re-created (`deleted` false: it was gone already); its deletion event brings the ClusterDomainRoute back. */
  | { kind: 'recreating'; deleted: boolean }
  /** Someone else's route has the name: Kuscia refuses to take it over. */
  | { kind: 'foreign'; message: string };

export function controlledBy(route: DomainRoute, cdr: ClusterDomainRoute): boolean {
  return (route.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === cdr.metadata.uid);
}

function desiredDomainRoute(cdr: ClusterDomainRoute, namespace: string): DomainRoute {
  return {
    apiVersion: 'kuscia.secretflow/v1alpha1',
    kind: 'DomainRoute',
    metadata: { name: domainRouteName(cdr.spec!), namespace, labels: cdr.metadata.labels, ownerReferences: [kusciaOwnerReference('ClusterDomainRoute', cdr)] },
    spec: cdr.spec,
  };
}

/**
 * A new endpoint or new keys invalidate every token negotiated so far: Kuscia deletes the route
 * (and with it its token status) and creates it afresh, which starts a new handshake.
 */
export function mustRecreate(want: DomainRouteSpec, have: DomainRouteSpec | undefined): boolean {
  if (!isDeepStrictEqual(want.endpoint ?? {}, have?.endpoint ?? {})) return true;
  const a = want.tokenConfig;
  const b = have?.tokenConfig;
  if (!a || !b) return !!a !== !!b;
  return (a.sourcePublicKey ?? '') !== (b.sourcePublicKey ?? '') || (a.destinationPublicKey ?? '') !== (b.destinationPublicKey ?? '');
}

/** Creates, updates or replaces the ClusterDomainRoute's DomainRoute in `namespace` (`cached`: what the informer holds). */
export async function syncOwnedDomainRoute(client: ResourceClient<DomainRoute>, cdr: ClusterDomainRoute, namespace: string, cached: DomainRoute | undefined): Promise<DomainRouteOutcome> {
  const desired = desiredDomainRoute(cdr, namespace);
  let existing = cached;
  if (!existing) {
    try {
      return { kind: 'current', route: await client.create(desired), action: 'created' };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      existing = await client.get(namespace, desired.metadata.name ?? '');
    }
  }
  if (!controlledBy(existing, cdr)) {
    return { kind: 'foreign', message: `DomainRoute ${desired.metadata.name} already exists in namespace ${namespace} and is not managed by ClusterDomainRoute` };
  }
  if (mustRecreate(cdr.spec!, existing.spec)) {
    try {
      await client.delete(namespace, existing.metadata.name ?? '', { uid: existing.metadata.uid });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return { kind: 'recreating', deleted: false };
    }
    return { kind: 'recreating', deleted: true };
  }
  if (isDeepStrictEqual(existing.metadata.labels ?? {}, cdr.metadata.labels ?? {}) && isDeepStrictEqual(existing.spec, cdr.spec)) return { kind: 'current', route: existing, action: 'unchanged' };
  const route = await client.replace({ ...existing, metadata: { ...existing.metadata, labels: cdr.metadata.labels }, spec: cdr.spec });
  return { kind: 'current', route, action: 'updated' };
}
