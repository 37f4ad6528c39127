import type { Logger } from 'pino';
import { ApiError } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import type { RestStorage } from '../registry/rest-storage.ts';
import { collectionPrefix, objectKey } from '../registry/storage-keys.ts';
import { systemWrite } from '../registry/write-options.ts';
import type { Store, StorageEvent, WatchHandle } from '../storage/types.ts';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

export interface DefaultServiceAccountControllerDeps {
  store: Store;
  rest: RestStorage;
  namespaces: ResourceType;
  serviceAccounts: ResourceType;
  log: Logger;
}

/**
 * kube-controller-manager's serviceaccounts controller: every active namespace has a `default`
 * ServiceAccount. It is created for namespaces that exist at start and for each new one, and
 * created again when someone deletes it. Namespaces being terminated are left alone.
 *
 * Storage events are handled after the write that caused them (setImmediate), never from inside it.
 */
export class DefaultServiceAccountController {
  private readonly deps: DefaultServiceAccountControllerDeps;
  private readonly handles: WatchHandle[] = [];
  private readonly pending = new Set<string>();
  private scheduled = false;
  private stopped = false;

  constructor(deps: DefaultServiceAccountControllerDeps) {
    this.deps = deps;
  }

  start(): void {
    const { store, namespaces, serviceAccounts } = this.deps;
    const nsPrefix = collectionPrefix(namespaces, '');
    const list = store.list(nsPrefix);
    for (const entry of list.items) this.ensure((JSON.parse(entry.value) as KubeObject).metadata.name ?? '');
    this.handles.push(
      store.watch(nsPrefix, list.revision, (e) => {
        if (e.type !== 'DELETED') this.enqueue(e.key.slice(nsPrefix.length));
      }),
      store.watch(collectionPrefix(serviceAccounts, ''), store.revision, (e) => this.onServiceAccountEvent(e)),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const h of this.handles) h.stop();
  }

  private onServiceAccountEvent(e: StorageEvent): void {
    if (e.type !== 'DELETED') return;
    const [namespace, name] = e.key.slice(collectionPrefix(this.deps.serviceAccounts, '').length).split('/');
    if (name === DEFAULT_SERVICE_ACCOUNT) this.enqueue(namespace);
  }

  private enqueue(namespace: string): void {
    this.pending.add(namespace);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      const namespaces = [...this.pending];
      this.pending.clear();
      for (const ns of namespaces) this.ensure(ns);
    });
  }

  private ensure(namespace: string): void {
    const { store, rest, namespaces, serviceAccounts, log } = this.deps;
    const nsEntry = store.get(objectKey(namespaces, '', namespace));
    if (!nsEntry) return;
    const ns = JSON.parse(nsEntry.value) as KubeObject & { status?: { phase?: string } };
    if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    if (store.get(objectKey(serviceAccounts, namespace, DEFAULT_SERVICE_ACCOUNT))) return;
    try {
      rest.create(serviceAccounts, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT } }, systemWrite('kube-controller-manager'));
      log.debug({ namespace }, 'created the default service account');
    } catch (e) {
      // Raced with someone else creating it, or with the namespace going away.
      if (e instanceof ApiError && (e.code === 409 || e.code === 404 || e.code === 403)) return;
      log.error({ err: e, namespace }, 'cannot create the default service account');
    }
  }
}
