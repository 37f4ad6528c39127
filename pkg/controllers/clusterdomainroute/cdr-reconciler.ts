import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { TokenGenMethod, type ClusterDomainRoute, type ClusterDomainRouteCondition, type Domain, type DomainRoute, type TokenConfig } from '../../crd/index.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../kube/api-errors.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import type { ControllerContext } from '../common/controller-context.ts';
import { routeSpecProblem } from '../domainroute/validate.ts';
import { DRS_BY_OWNER_UID, type CdrClients, type CdrInformers } from './cdr-informers.ts';
import { blockedCdrStatus, desiredCdrStatus } from './cdr-status.ts';
import { desiredInteropConfig, interopConfigDue, interopConfigName, needsInteropConfig } from './interop-config.ts';
import { domainRouteName, syncOwnedDomainRoute } from './owned-domain-route.ts';
import { DomainCertError, rsaPublicKeyFromCert } from './public-key.ts';
import { ReadyReason } from './reasons.ts';
import { desiredRouteLabels, isPartner, isPeerControlPlane, type RouteDomains } from './route-domains.ts';
import { AUTHORIZATION_HEADER, requestPeerToken } from './service-token.ts';
import { msUntilHeartbeatTimeout } from './ready-verdict.ts';

export interface CdrReconcilerDeps {
  ctx: ControllerContext;
  informers: CdrInformers;
  clients: CdrClients;
  log: Logger;
  /** Looks at the route again after `ms` (a heartbeat deadline). */
  requeueAfter?: (name: string, ms: number) => void;
}

interface SideRoutes {
  source?: DomainRoute;
  destination?: DomainRoute;
}

const readyOf = (conditions: ClusterDomainRouteCondition[] | undefined) => conditions?.find((c) => c.type === 'Ready');

/** Token generation methods whose handshake encrypts with the Domains' RSA keys. */
const RSA_METHODS: ReadonlySet<string> = new Set([TokenGenMethod.RSA, TokenGenMethod.UIDRSA]);

/**
 * One ClusterDomainRoute (Kuscia's clusterdomainroute controller): labels, public keys from the
 * Domains' certificates and a peer control plane's Authorization header on the object itself; then,
 * if its spec is valid, a DomainRoute `<src>-<dst>` in each own side's namespace, the status
 * gathered from them and from the source gateways, and the InteropConfig for a peer control plane.
 * Every read is from the caches; a pass over a settled route makes no API call.
 */
export class ClusterDomainRouteReconciler {
  private readonly deps: CdrReconcilerDeps;
  /** Public key per Domain, for the Domain version it was read from (certificates are parsed once). */
  private readonly keyCache = new Map<string, { resourceVersion: string; key: string | undefined }>();

  constructor(deps: CdrReconcilerDeps) {
    this.deps = deps;
  }

  forgetDomain(name: string): void {
    this.keyCache.delete(name);
  }

  async reconcile(name: string): Promise<void> {
    const inf = this.deps.informers;
    // An object missing from an unsynced cache is not a deleted object.
    if (!Object.values(inf).every((informer) => informer.hasSynced())) throw new Error('clusterdomainroute caches not synced yet');
    const cached = inf.clusterDomainRoutes.get('', name);
    if (!cached?.spec || cached.metadata.deletionTimestamp) return;
    const log = this.deps.log.child({ clusterdomainroute: name });

    const source = inf.domains.get('', cached.spec.source);
    const destination = inf.domains.get('', cached.spec.destination);
    if (!source || !destination) {
      const missing = source ? cached.spec.destination : cached.spec.source;
      return this.block(cached, ReadyReason.DomainNotFound, `domain ${missing} not found`, log);
    }
    const domains: RouteDomains = { source, destination };
    const cdr = await this.syncObject(cached, domains, log);
    if (!cdr) return;
    const problem = routeSpecProblem(cdr.spec);
    if (problem) return this.block(cdr, ReadyReason.InvalidSpec, problem, log);

    const routes = await this.syncDomainRoutes(cdr, domains, log);
    if (!routes) return;
    const written = await this.syncStatus(cdr, routes, log);
    await this.syncInteropConfig(written, domains, log);
    const untilTimeout = msUntilHeartbeatTimeout(routes.destination?.status?.tokenStatus?.tokens ?? [], this.deps.ctx.now());
    // A little after the deadline, so the heartbeat is seen as timed out.
    if (untilTimeout !== undefined) this.deps.requeueAfter?.(name, untilTimeout + 100);
  }

  /**
   * Labels, public keys and the peer's Authorization header, in one write. Resolves to the object to
   * go on with, or undefined when the write met a newer version (whose event brings the route back).
   */
  private async syncObject(cdr: ClusterDomainRoute, domains: RouteDomains, log: Logger): Promise<ClusterDomainRoute | undefined> {
    const spec = cdr.spec!;
    const labels = desiredRouteLabels(cdr, domains);
    const tokenConfig = this.withDomainKeys(spec.tokenConfig, domains, log);
    let headers = spec.requestHeadersToAdd;
    if (isPeerControlPlane(domains.source) && !headers?.[AUTHORIZATION_HEADER]) {
      const token = await requestPeerToken(this.deps.clients.serviceAccounts, domains.source.metadata.name ?? '');
      headers = { ...headers, [AUTHORIZATION_HEADER]: `Bearer ${token}` };
    }
    if (isDeepStrictEqual(labels, cdr.metadata.labels ?? {}) && tokenConfig === spec.tokenConfig && headers === spec.requestHeadersToAdd) return cdr;
    const next: ClusterDomainRoute = { ...cdr, metadata: { ...cdr.metadata, labels }, spec: { ...spec, ...(tokenConfig ? { tokenConfig } : {}), ...(headers ? { requestHeadersToAdd: headers } : {}) } };
    try {
      const written = await this.deps.ctx.clients.clusterDomainRoutes.replace(next);
      log.info({ publicKeysChanged: tokenConfig !== spec.tokenConfig, authorizationAdded: headers !== spec.requestHeadersToAdd }, 'labels and keys synced');
      return written;
    } catch (err) {
      if (isConflict(err)) return undefined;
      throw err;
    }
  }

  /** tokenConfig with the Domains' current public keys (a new object only when one changed). */
  private withDomainKeys(tokenConfig: TokenConfig | undefined, domains: RouteDomains, log: Logger): TokenConfig | undefined {
    if (!tokenConfig || !RSA_METHODS.has(tokenConfig.tokenGenMethod)) return tokenConfig;
    const sourcePublicKey = this.publicKeyOf(domains.source, log);
    const destinationPublicKey = this.publicKeyOf(domains.destination, log);
    // A Domain without a usable certificate leaves the key as configured.
    const next = { ...tokenConfig };
    if (sourcePublicKey) next.sourcePublicKey = sourcePublicKey;
    if (destinationPublicKey) next.destinationPublicKey = destinationPublicKey;
    return next.sourcePublicKey === tokenConfig.sourcePublicKey && next.destinationPublicKey === tokenConfig.destinationPublicKey ? tokenConfig : next;
  }

  private publicKeyOf(domain: Domain, log: Logger): string | undefined {
    const name = domain.metadata.name ?? '';
    const version = domain.metadata.resourceVersion ?? '';
    const known = this.keyCache.get(name);
    if (known?.resourceVersion === version) return known.key;
    let key: string | undefined;
    if (domain.spec?.cert) {
      try {
        key = rsaPublicKeyFromCert(domain.spec.cert);
      } catch (err) {
        if (!(err instanceof DomainCertError)) throw err;
        // Logged once per Domain version; the routes' handshakes will fail until it is fixed.
        log.warn({ domain: name, problem: err.message }, 'Domain certificate unusable; its public key is not synced');
      }
    }
    this.keyCache.set(name, { resourceVersion: version, key });
    return key;
  }

  /**
   * The DomainRoutes on both own sides, plus removal of routes the ClusterDomainRoute controls that
   * are no longer wanted (its source or destination changed, a side became a partner). Undefined when
   * the pass stops here (a route is being re-created, or a foreign route is in the way).
   */
  private async syncDomainRoutes(cdr: ClusterDomainRoute, domains: RouteDomains, log: Logger): Promise<SideRoutes | undefined> {
    const spec = cdr.spec!;
    const drName = domainRouteName(spec);
    const namespaces = [...new Set([isPartner(domains.source) ? undefined : spec.source, isPartner(domains.destination) ? undefined : spec.destination])].filter((n): n is string => !!n);
    const routes: SideRoutes = {};
    for (const namespace of namespaces) {
      const outcome = await syncOwnedDomainRoute(this.deps.clients.domainRoutes, cdr, namespace, this.deps.informers.domainRoutes.get(namespace, drName));
      if (outcome.kind === 'foreign') {
        await this.block(cdr, ReadyReason.ResourceExists, outcome.message, log);
        return undefined;
      }
      if (outcome.kind === 'recreating') {
        if (outcome.deleted) log.info({ namespace, domainRoute: drName }, 'endpoint or keys changed: DomainRoute deleted to start over');
        return undefined;
      }
      if (outcome.action !== 'unchanged') log.info({ namespace, domainRoute: drName }, `DomainRoute ${outcome.action}`);
      if (namespace === spec.source) routes.source = outcome.route;
      if (namespace === spec.destination) routes.destination = outcome.route;
    }
    for (const dr of this.deps.informers.domainRoutes.byIndex(DRS_BY_OWNER_UID, cdr.metadata.uid ?? '')) {
      const namespace = dr.metadata.namespace ?? '';
      if (dr.metadata.name === drName && namespaces.includes(namespace)) continue;
      try {
        await this.deps.clients.domainRoutes.delete(namespace, dr.metadata.name ?? '', { uid: dr.metadata.uid });
        log.info({ namespace, domainRoute: dr.metadata.name }, 'DomainRoute no longer part of the route deleted');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return routes;
  }

  private async syncStatus(cdr: ClusterDomainRoute, routes: SideRoutes, log: Logger): Promise<ClusterDomainRoute> {
    const gateways = this.deps.informers.gateways.list(cdr.spec!.source);
    let readyChange: { status?: string; reason?: string } | undefined;
    const written = await updateStatusWithRetry(
      this.deps.ctx.clients.clusterDomainRoutes,
      '',
      cdr.metadata.name ?? '',
      (c) => {
        readyChange = undefined;
        const next = desiredCdrStatus(c, { sourceRoute: routes.source, destinationRoute: routes.destination, sourceGateways: gateways, now: this.deps.ctx.now() });
        if (!next) return false;
        const before = readyOf(c.status?.conditions);
        const after = readyOf(next.conditions);
        readyChange = before?.status !== after?.status || before?.reason !== after?.reason ? { status: after?.status, reason: after?.reason } : undefined;
        c.status = next;
        return true;
      },
      { current: cdr },
    );
    if (readyChange) log.info(readyChange, 'Ready condition changed');
    return written;
  }

  /** Ready=False for a problem that stops the pass; the rest of the status is left as it is. */
  private async block(cdr: ClusterDomainRoute, reason: string, message: string, log: Logger): Promise<void> {
    let changed = false;
    await updateStatusWithRetry(
      this.deps.ctx.clients.clusterDomainRoutes,
      '',
      cdr.metadata.name ?? '',
      (c) => {
        const next = blockedCdrStatus(c, reason, message, this.deps.ctx.now());
        changed = !!next;
        if (!next) return false;
        c.status = next;
        return true;
      },
      { current: cdr },
    );
    if (changed) log.warn({ reason, problem: message }, 'ClusterDomainRoute not ready');
  }

  private async syncInteropConfig(cdr: ClusterDomainRoute, domains: RouteDomains, log: Logger): Promise<void> {
    const spec = cdr.spec!;
    const name = interopConfigName(spec.source, spec.destination);
    const existing = this.deps.informers.interopConfigs.get('', name);
    if (!needsInteropConfig(cdr, domains)) {
      // Only ours: an InteropConfig of that name may have been written by hand.
      if (!existing || !(existing.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === cdr.metadata.uid)) return;
      try {
        await this.deps.clients.interopConfigs.delete('', name, { uid: existing.metadata.uid });
        log.info({ interopConfig: name }, 'InteropConfig no longer needed, deleted');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    if (existing || !interopConfigDue(cdr, cdr.status?.tokenStatus?.sourceTokens ?? [])) return;
    try {
      await this.deps.clients.interopConfigs.create(desiredInteropConfig(cdr));
      log.info({ interopConfig: name, host: spec.destination }, 'InteropConfig created');
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
