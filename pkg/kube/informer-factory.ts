import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiObject } from './wire.ts';
import type { Logger } from 'pino';
import { KubeApi } from './api-client.ts';
import type { ResourceRef } from './client.ts';
import { SharedInformer } from './shared-informer.ts';

/**
 * The transport: a process's KubeApi (lists and watches then share its TLS setup and connection
 * pools), or a kubeconfig, from which the factory makes a KubeApi of its own and closes it on stop.
 */
export type InformerFactoryOptions = ({ api: KubeApi } | { kubeConfig: KubeConfig }) & {
  log: Logger;
  /** Default resync for informers that do not set their own (Kuscia: 5 min). */
  defaultResyncMs?: number;
};

export interface InformerRequest {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resyncPeriodMs?: number;
}

/**
 * Hands out one informer per (resource, namespace, label selector), so controllers watching the
 * same objects share one watch and one cache, like client-go's SharedInformerFactory.
 */
export class SharedInformerFactory {
  private readonly opts: InformerFactoryOptions;
  private readonly api: KubeApi;
  /** Whether the factory made `api` itself (and so closes it). */
  private readonly ownsApi: boolean;
  private readonly informers = new Map<string, SharedInformer<ApiObject>>();
  private started = false;

  constructor(opts: InformerFactoryOptions) {
    this.opts = opts;
    this.ownsApi = !('api' in opts);
    this.api = 'api' in opts ? opts.api : new KubeApi(opts.kubeConfig);
  }

  informerFor<T extends ApiObject>(resource: ResourceRef, request: InformerRequest = {}): SharedInformer<T> {
    const id = [resource.group, resource.version, resource.plural, request.namespace ?? '', request.labelSelector ?? '', request.fieldSelector ?? ''].join('|');
    let informer = this.informers.get(id);
    if (!informer) {
      informer = new SharedInformer<ApiObject>({
        api: this.api,
        resource,
        namespace: request.namespace,
        labelSelector: request.labelSelector,
        fieldSelector: request.fieldSelector,
        resyncPeriodMs: request.resyncPeriodMs ?? this.opts.defaultResyncMs ?? 0,
        log: this.opts.log.child({ informer: `${resource.plural}${resource.group ? '.' + resource.group : ''}`, namespace: request.namespace, labelSelector: request.labelSelector, fieldSelector: request.fieldSelector }),
      });
      this.informers.set(id, informer);
      // Informers requested after start() start at once, as client-go's factory does on its next Start.
      if (this.started) void informer.start();
    }
    return informer as unknown as SharedInformer<T>;
  }

  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  /** Resolves true once every informer has synced, false if `timeoutMs` passes first. */
  async waitForCacheSync(timeoutMs = 60_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all([...this.informers.values()].map((i) => i.waitForSync())), timeout]);
    clearTimeout(timer);
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
    if (this.ownsApi) this.api.close();
  }
}
