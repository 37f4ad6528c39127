import { Labels } from '../../crd/index.ts';
import { Controller } from '../../kube/controller.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import type { ApiObject } from '../../kube/wire.ts';
import type { ControllerContext, KusciaController } from '../common/controller-context.ts';
import { isPartner } from './auth-plan.ts';
import { generateDeployToken } from './deploy-tokens.ts';
import { makeDomainExtraClients, requestDomainInformers } from './domain-informers.ts';
import { DomainReconciler } from './domain-reconciler.ts';

export { RESERVED_DOMAIN_NAMES, invalidDomainNameMessage } from './domain-name.ts';
export { DOMAIN_CONFIG_NAME, RESOURCE_QUOTA_NAME } from './desired-objects.ts';
export { DOMAIN_CLUSTER_ROLE } from './rbac-rules.ts';
export { INVALID_DOMAIN_NAME_REASON } from './invalid-name-event.ts';

export interface DomainControllerOptions {
  /** Parallel reconciles (Kuscia: 4). */
  workers?: number;
  /** How often every non-partner domain's status (nodes, deploy tokens) is refreshed (Kuscia: 10 s). */
  statusSyncIntervalMs?: number;
}

export const DOMAIN_CONTROLLER_NAME = 'domain';

/**
 * Kuscia's Domain controller: a namespace per Domain with Kuscia's labels, the domain's Role,
 * `domain-config` and `resource-limitation` for own domains, auth init (ServiceAccount and bindings),
 * soft delete, refused names, and status (nodes, deploy tokens). Keys are domain names; namespace
 * events use the same keys, so one reconcile sees both.
 */
export function newDomainController(ctx: ControllerContext, options: DomainControllerOptions = {}): KusciaController {
  const informers = requestDomainInformers(ctx);
  const log = ctx.log.child({ component: DOMAIN_CONTROLLER_NAME });
  const reconciler = new DomainReconciler({ ctx, informers, extra: makeDomainExtraClients(ctx), log, newToken: generateDeployToken });
  const controller = new Controller({ name: DOMAIN_CONTROLLER_NAME, log: ctx.log, workers: options.workers ?? 4, reconcile: (key) => reconciler.reconcile(key) });

  informers.domains.addEventHandler({
    onAdd: (d) => controller.enqueue(d),
    onUpdate: (oldD, newD) => {
      if (oldD.metadata.resourceVersion !== newD.metadata.resourceVersion) controller.enqueue(newD);
    },
    onDelete: (d) => {
      reconciler.forget(d);
      controller.enqueue(d);
    },
  });

  // Namespaces: one labelled as a domain's (the start-up list included: a Domain deleted while the
  // controller was down gets its namespace marked then), or named like a Domain (adopted).
  const enqueueNamespace = (ns: ApiObject) => {
    const name = ns.metadata?.name ?? '';
    if (ns.metadata?.labels?.[Labels.DomainName] !== undefined || informers.domains.get('', name)) controller.enqueue(name);
  };
  informers.namespaces.addEventHandler({
    onAdd: enqueueNamespace,
    onUpdate: (oldNs, newNs) => {
      if (oldNs.metadata?.resourceVersion !== newNs.metadata?.resourceVersion) enqueueNamespace(newNs);
    },
    onDelete: enqueueNamespace,
  });

  // What the controller created: changed or deleted by someone else → put it back.
  for (const owned of Object.values(informers.owned) as SharedInformer<ApiObject>[]) {
    const enqueueOwner = (obj: ApiObject) => {
      const domain = obj.metadata?.labels?.[Labels.DomainName];
      if (domain) controller.enqueue(domain);
    };
    owned.addEventHandler({
      onUpdate: (oldObj, newObj) => {
        if (oldObj.metadata?.resourceVersion !== newObj.metadata?.resourceVersion) enqueueOwner(newObj);
      },
      onDelete: enqueueOwner,
    });
  }

  let statusTimer: NodeJS.Timeout | undefined;
  const enqueueStatusSync = () => {
    for (const d of informers.domains.list()) if (!isPartner(d)) controller.enqueue(d);
  };

  return {
    name: DOMAIN_CONTROLLER_NAME,
    run() {
      reconciler.resetOnceChecks();
      // The informers' initial adds queued every Domain and every labelled namespace already; this
      // covers a factory started before the handlers were added.
      for (const d of informers.domains.list()) controller.enqueue(d);
      for (const ns of informers.namespaces.list()) enqueueNamespace(ns);
      controller.run();
      clearInterval(statusTimer);
      statusTimer = setInterval(enqueueStatusSync, options.statusSyncIntervalMs ?? 10_000);
      statusTimer.unref();
    },
    async stop() {
      clearInterval(statusTimer);
      statusTimer = undefined;
      await controller.stop();
    },
  };
}

