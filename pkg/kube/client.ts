import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { KubeApi } from './api-client.ts';
import { ResourceClient } from './resource-client.ts';
import { CoreResources } from './resources.ts';
import type { Lease } from './wire.ts';

/**
 * Everything a controller needs to talk to one cluster. Built from an explicit kubeconfig path so two
 * components in one process (or a test with two API servers) never share a hidden default.
 */
export interface KubeClients {
  kubeConfig: KubeConfig;
  /** Plain-JSON requests over one keep-alive connection pool; what ResourceClient uses. */
  api: KubeApi;
  core: CoreV1Api;
  /** Leases through `api` (what leader election uses). */
  leases: ResourceClient<Lease>;
}

export function loadKubeConfig(kubeconfigPath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

export function makeKubeClients(kubeConfig: KubeConfig): KubeClients {
  const api = new KubeApi(kubeConfig);
  return {
    kubeConfig,
    api,
    core: kubeConfig.makeApiClient(CoreV1Api),
    leases: new ResourceClient<Lease>(api, CoreResources.leases),
  };
}

/** One REST resource: enough to build its list/watch paths without discovery. */
export interface ResourceRef {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Lower-case plural, as in the URL (`configmaps`, `kusciajobs`). */
  plural: string;
  namespaced: boolean;
  /** False when status is written with the object (no /status subresource); default true. */
  statusSubresource?: boolean;
}

/** `/api/v1[/namespaces/ns]/configmaps` or `/apis/group/version[/namespaces/ns]/plural`. */
export function collectionPath(ref: ResourceRef, namespace?: string): string {
  const base = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const ns = ref.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${ref.plural}`;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * One JSON request with the kubeconfig's credentials, body sent and returned as-is. For what the
 * generated clients cannot carry: their serializer only knows its model's property names, so for
 * example a CRD's `default` and `x-kubernetes-*` schema fields are silently dropped on create.
 * Non-2xx answers reject with ApiException, like the generated clients.
 */
export async function requestJson(kc: KubeConfig, method: string, path: string, options: { query?: Record<string, string>; body?: unknown } = {}): Promise<unknown> {
  const api = new KubeApi(kc, { maxSockets: 1 });
  try {
    return await api.request(method, path, options);
  } finally {
    api.close();
  }
}
