import { isNotFound } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { ConfigMap, Wire } from '../../kube/wire.ts';
import type { V1Secret } from '@kubernetes/client-node';

export type Secret = Wire<V1Secret>;

/** Where a pod's ConfigMaps and Secrets come from (the pod's namespace); undefined = not found. */
export interface PodObjectSource {
  configMap(name: string): Promise<ConfigMap | undefined>;
  secret(name: string): Promise<Secret | undefined>;
}

/**
 * Reads through the API, each object once per pod resolution (a pod refers to the same ConfigMap
 * from env, envFrom and volumes). Read fresh for every resolution, so a retry sees an object that
 * appeared meanwhile; pods start rarely enough that no watch cache is worth its memory.
 */
export function apiObjectSource(clients: { configMaps: ResourceClient<ConfigMap>; secrets: ResourceClient<Secret> }, namespace: string): PodObjectSource {
  const configMaps = new Map<string, Promise<ConfigMap | undefined>>();
  const secrets = new Map<string, Promise<Secret | undefined>>();
  const once = <T>(cache: Map<string, Promise<T | undefined>>, name: string, get: () => Promise<T>) => {
    let p = cache.get(name);
    if (!p) {
      p = get().catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
      cache.set(name, p);
    }
    return p;
  };
  return {
    configMap: (name) => once(configMaps, name, () => clients.configMaps.get(namespace, name)),
    secret: (name) => once(secrets, name, () => clients.secrets.get(namespace, name)),
  };
}
