/**
 * What the job controller needs to know about domains: whether a domain's namespace exists and
 * whether it is a partner (a party run by another control plane). As in Kuscia, this is read from
 * the namespace labels the Domain controller writes (`kuscia.secretflow/role=partner`,
 * `kuscia.secretflow/interconn-protocols`).
 */
import { DomainRole, Labels } from '../../crd/index.ts';
import { isNotFound } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import type { Namespace } from '../../kube/wire.ts';

export interface NamespaceView {
  /** The namespace, or undefined when it does not exist. */
  get(name: string): Promise<Namespace | undefined>;
}

/**
 * Reads the informer cache first; on a miss asks the API server, because a namespace created just
 * before the job may not have reached the cache yet and "missing" fails the job for good.
 */
export function namespaceView(informer: SharedInformer<Namespace>, client: ResourceClient<Namespace>): NamespaceView {
  return {
    async get(name) {
      const cached = informer.get('', name);
      if (cached) return cached;
      try {
        return await client.get('', name);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
  };
}

export function isPartnerNamespace(ns: Namespace | undefined): boolean {
  return ns?.metadata?.labels?.[Labels.DomainRole] === DomainRole.Partner;
}

/** A partner reached through the BFIA protocol (anything else is Kuscia's own interconnection). */
export function isBFIANamespace(ns: Namespace | undefined): boolean {
  return isPartnerNamespace(ns) && ns?.metadata?.labels?.[Labels.InterConnProtocols] === 'bfia';
}

/** The error Kuscia reports when a party's namespace is missing (its lister's NotFound text). */
export class NamespaceNotFoundError extends Error {
  readonly namespace: string;
  constructor(namespace: string) {
    super(`namespace "${namespace}" not found`);
    this.name = 'NamespaceNotFoundError';
    this.namespace = namespace;
  }
}
