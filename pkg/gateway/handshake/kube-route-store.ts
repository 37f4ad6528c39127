/** DomainRouteStore on the Kubernetes API: the DomainRoutes of one namespace through a ResourceClient. */
import { KusciaResources } from '../../controllers/common/resources.ts';
import type { DomainRoute } from '../../crd/index.ts';
import type { KubeApi } from '../../kube/api-client.ts';
import { isNotFound } from '../../kube/api-errors.ts';
import { ResourceClient } from '../../kube/resource-client.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import { DomainRouteGoneError, type DomainRouteStore } from './route-store.ts';

export function domainRouteClient(api: KubeApi): ResourceClient<DomainRoute> {
  return new ResourceClient<DomainRoute>(api, KusciaResources.domainRoutes);
}

/**
 * Reads go to the API server (not a cache): the destination's wait for readiness must see the DR
 * controller's write, and a heartbeat every 15 s per peer is cheap.
 */
export function kubeDomainRouteStore(client: ResourceClient<DomainRoute>, namespace: string): DomainRouteStore {
  return {
    async get(name) {
      try {
        return await client.get(namespace, name);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async updateStatus(name, mutate) {
      try {
        return await updateStatusWithRetry(client, namespace, name, mutate);
      } catch (err) {
        if (isNotFound(err)) throw new DomainRouteGoneError(name);
        throw err;
      }
    },
  };
}
