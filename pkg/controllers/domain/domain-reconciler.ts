import type { Logger } from 'pino';
import { DOMAIN_AUTH_COMPLETED, Labels, type Domain } from '../../crd/index.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../kube/api-errors.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import type { Namespace } from '../../kube/wire.ts';
import type { ControllerContext } from '../common/controller-context.ts';
import { authPlanFor, isPartner } from './auth-plan.ts';
import {
  DOMAIN_CONFIG_NAME,
  RESOURCE_QUOTA_NAME,
  domainClusterRole,
  domainClusterRoleBinding,
  domainConfigMap,
  domainResourceQuota,
  domainRole,
  domainRoleBinding,
  domainServiceAccount,
} from './desired-objects.ts';
import { NODES_BY_DOMAIN, type DomainExtraClients, type DomainInformers } from './domain-informers.ts';
import { invalidDomainNameMessage } from './domain-name.ts';
import { desiredDomainStatus, sameDomainStatus } from './domain-status.ts';
import { ensureObject } from './ensure-object.ts';
import { recordInvalidDomainName } from './invalid-name-event.ts';
import { DELETED_NAMESPACE_LABELS, namespaceLabelPatch, namespaceLabelsFor } from './namespace-labels.ts';

export interface DomainReconcilerDeps {
  ctx: ControllerContext;
  informers: DomainInformers;
  extra: DomainExtraClients;
  log: Logger;
  newToken: () => string;
}

/**
 * Brings one domain (keyed by name) to its desired state: Kuscia's domain controller (create /
 * update / delete in one level-based pass). Every read is from the caches; every write is skipped
 * when the object already matches, so a reconcile of a settled domain makes no API call.
 */
export class DomainReconciler {
  private readonly deps: DomainReconcilerDeps;
  /** Domains (by uid) already reported as invalid: one Warning and one log line each. */
  private readonly reportedInvalid = new Set<string>();
  /** domain-cluster-res is shared and static: checked once per run, again after a failure. */
  private clusterRoleEnsured = false;

  constructor(deps: DomainReconcilerDeps) {
    this.deps = deps;
  }

  async reconcile(name: string): Promise<void> {
    const { domains } = this.deps.informers;
    // A Domain missing from an unsynced cache is not a deleted Domain.
    if (!domains.hasSynced()) throw new Error('domain cache not synced yet');
    const domain = domains.get('', name);
    if (!domain) return this.markNamespaceDeleted(name);
    // Being deleted (a finalizer holds it): leave everything until it is gone.
    if (domain.metadata.deletionTimestamp) return;

    const invalid = invalidDomainNameMessage(name);
    if (invalid) return this.reportInvalidName(domain, invalid);

    const log = this.deps.log.child({ domain: name });
    let current = domain;
    let failure: unknown;
    try {
      current = (await this.provision(domain, log)) ?? domain;
    } catch (err) {
      failure = err;
    }
    // Node statuses and deploy tokens do not depend on the namespace's objects: a provisioning
    // problem (retried with backoff) must not freeze them.
    if (!isPartner(domain)) await this.syncStatus(current, log);
    if (failure !== undefined) throw failure;
  }

  /** Namespace, Role, domain-config, quota and auth; returns the Domain as last written (undefined: untouched). */
  private async provision(domain: Domain, log: Logger): Promise<Domain | undefined> {
    const name = domain.metadata.name ?? '';
    if (!(await this.ensureNamespace(domain, log))) return undefined;
    await ensureObject({ client: this.deps.ctx.clients.roles, cached: this.deps.informers.owned.roles.get(name, name), desired: domainRole.desired(domain), update: domainRole.update(domain) });
    if (!isPartner(domain)) {
      await this.ensureDomainConfig(domain);
      await this.syncResourceQuota(domain, log);
    }
    return this.ensureAuth(domain, log);
  }

  /** Forgets what it remembered about a Domain that is gone. */
  forget(domain: Domain): void {
    if (domain.metadata.uid) this.reportedInvalid.delete(domain.metadata.uid);
  }

  /** Resolves false when the namespace is terminating (nothing can be created in it now). */
  private async ensureNamespace(domain: Domain, log: Logger): Promise<boolean> {
    const name = domain.metadata.name ?? '';
    const { namespaces } = this.deps.ctx.clients;
    let ns: Namespace | undefined = this.deps.informers.namespaces.get('', name);
    if (!ns) {
      try {
        await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: namespaceLabelsFor(domain) } });
        log.info('namespace created');
        return true;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        ns = await namespaces.get('', name);
      }
    }
    if (ns.metadata?.deletionTimestamp) {
      // Its deletion event re-queues the domain, and the namespace is then created afresh.
      log.warn('namespace is terminating; waiting for it to go before re-creating it');
      return false;
    }
    const patch = namespaceLabelPatch(ns.metadata?.labels, domain);
    if (patch) {
      await namespaces.patch('', name, { metadata: { labels: patch } });
      log.info({ labels: patch }, 'namespace labels updated');
    }
    return true;
  }

  private async ensureDomainConfig(domain: Domain): Promise<void> {
    const name = domain.metadata.name ?? '';
    await ensureObject({
      client: this.deps.ctx.clients.configMaps,
      cached: this.deps.informers.owned.configMaps.get(name, DOMAIN_CONFIG_NAME),
      desired: domainConfigMap.desired(domain),
      update: domainConfigMap.update(domain),
    });
  }

  /** Created, updated or deleted to follow spec.resourceQuota.podMaxCount. */
  private async syncResourceQuota(domain: Domain, log: Logger): Promise<void> {
    const name = domain.metadata.name ?? '';
    const client = this.deps.ctx.clients.resourceQuotas;
    const cached = this.deps.informers.owned.resourceQuotas.get(name, RESOURCE_QUOTA_NAME);
    const podMaxCount = domain.spec?.resourceQuota?.podMaxCount;
    if (podMaxCount === undefined || podMaxCount === null) {
      if (!cached) return;
      try {
        await client.delete(name, RESOURCE_QUOTA_NAME, { uid: cached.metadata?.uid });
        log.info('resource quota removed');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    const outcome = await ensureObject({ client, cached, desired: domainResourceQuota.desired(domain, podMaxCount), update: domainResourceQuota.update(domain, podMaxCount) });
    if (outcome !== 'unchanged') log.info({ podMaxCount, outcome }, 'resource quota synced');
  }

  /**
   * Auth init: the ServiceAccount `<domain>` and its bindings, kept in place on every pass (cheap
   * cache reads), then the Domain is labelled domain-auth=completed once — with spec.master
   * defaulted to itself for a partner. Returns the Domain as last written.
   */
  private async ensureAuth(domain: Domain, log: Logger): Promise<Domain> {
    const name = domain.metadata.name ?? '';
    const { owned } = this.deps.informers;
    const plan = authPlanFor(domain);
    if (plan.namespaceAccess) {
      await ensureObject({ client: this.deps.extra.serviceAccounts, cached: owned.serviceAccounts.get(name, name), desired: domainServiceAccount.desired(domain), update: domainServiceAccount.update(domain) });
      await ensureObject({ client: this.deps.ctx.clients.roleBindings, cached: owned.roleBindings.get(name, name), desired: domainRoleBinding.desired(domain), update: domainRoleBinding.update(domain) });
    }
    if (plan.clusterAccess) {
      await this.ensureClusterRole();
      await ensureObject({ client: this.deps.ctx.clients.clusterRoleBindings, cached: owned.clusterRoleBindings.get('', name), desired: domainClusterRoleBinding.desired(domain), update: domainClusterRoleBinding.update(domain) });
    }
    // TODO(issue 6, gateway): when spec.authCenter is set, Kuscia also creates here the
    // ClusterDomainRoute `<domain>-<master domain>` (source the domain, destination the local master,
    // authenticationType/tokenGenMethod from authCenter, rollingUpdatePeriod 86400, and
    // requestHeadersToAdd Authorization: Bearer <token of ServiceAccount <domain>>) before marking
    // auth completed. It needs the gateway's route controllers, so it is not done yet: domains are
    // marked completed without it.
    if (domain.metadata.labels?.[Labels.DomainAuth] === DOMAIN_AUTH_COMPLETED) return domain;
    const patch: { metadata: object; spec?: object } = { metadata: { resourceVersion: domain.metadata.resourceVersion, labels: { [Labels.DomainAuth]: DOMAIN_AUTH_COMPLETED } } };
    if (isPartner(domain) && !domain.spec?.master) patch.spec = { master: name };
    try {
      const updated = await this.deps.ctx.clients.domains.patch('', name, patch);
      log.info({ master: updated.spec?.master }, 'auth init completed');
      return updated;
    } catch (err) {
      if (!isConflict(err)) throw err;
      // The cache may lag behind our own earlier write: decide on the stored Domain.
      const stored = await this.deps.ctx.clients.domains.get('', name);
      if (stored.metadata.labels?.[Labels.DomainAuth] === DOMAIN_AUTH_COMPLETED) return stored;
      throw err;
    }
  }

  private async ensureClusterRole(): Promise<void> {
    if (this.clusterRoleEnsured) return;
    await ensureObject({ client: this.deps.extra.clusterRoles, cached: undefined, desired: domainClusterRole.desired(), update: domainClusterRole.update });
    this.clusterRoleEnsured = true;
  }

  /** nodeStatuses and deploy tokens; written only when they changed. Tokens are never logged. */
  private async syncStatus(domain: Domain, log: Logger): Promise<void> {
    const name = domain.metadata.name ?? '';
    const nodes = this.deps.informers.nodes.byIndex(NODES_BY_DOMAIN, name);
    const now = this.deps.ctx.now();
    let changed = false;
    await updateStatusWithRetry(
      this.deps.ctx.clients.domains,
      '',
      name,
      (d) => {
        const next = desiredDomainStatus(d.status, { nodes, now, newToken: this.deps.newToken });
        if (sameDomainStatus(d.status, next)) return false;
        d.status = next;
        changed = true;
        return true;
      },
      { current: domain },
    );
    if (changed) log.debug({ nodes: nodes.length }, 'status updated');
  }

  /** Soft delete: the namespace of a deleted Domain is kept and only labelled deleted=true. */
  private async markNamespaceDeleted(name: string): Promise<void> {
    const ns = this.deps.informers.namespaces.get('', name);
    const labels = ns?.metadata?.labels ?? {};
    // Only namespaces Kuscia made into domains: never `default` for a refused Domain `default`.
    if (!ns || labels[Labels.DomainName] !== name || labels[Labels.DomainDeleted] === 'true' || ns.metadata?.deletionTimestamp) return;
    try {
      await this.deps.ctx.clients.namespaces.patch('', name, { metadata: { labels: DELETED_NAMESPACE_LABELS } });
      this.deps.log.info({ domain: name }, 'domain deleted; namespace kept and labelled deleted');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async reportInvalidName(domain: Domain, message: string): Promise<void> {
    const uid = domain.metadata.uid ?? '';
    if (this.reportedInvalid.has(uid)) return;
    await recordInvalidDomainName(this.deps.extra.events, domain, message, this.deps.ctx.now());
    this.reportedInvalid.add(uid);
    this.deps.log.warn({ domain: domain.metadata.name }, `domain refused, nothing created: ${message}`);
  }

  /** Called when a run starts: domain-cluster-res is checked again. */
  resetOnceChecks(): void {
    this.clusterRoleEnsured = false;
  }
}
