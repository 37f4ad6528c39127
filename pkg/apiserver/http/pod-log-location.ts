import { ApiError, apiErrors } from '../api/errors.ts';
import { isPlainObject, type KubeObject } from '../api/object.ts';

/** kube-apiserver's --kubelet-port default: used when a Node reports no daemonEndpoints.kubeletEndpoint. */
export const DEFAULT_KUBELET_PORT = 10250;

/**
 * --kubelet-preferred-address-types as kubeadm (and K3s) set it: agents report their host name, which
 * need not resolve, so the InternalIP comes first.
 */
const PREFERRED_ADDRESS_TYPES = ['InternalIP', 'ExternalIP', 'Hostname'];

/** The query parameters kube-apiserver forwards to the kubelet, in its order. */
const FORWARDED = ['follow', 'previous', 'timestamps', 'sinceSeconds', 'sinceTime', 'tailLines', 'limitBytes'];

/**
 * The container `pods/log` reads (kube-apiserver's validateContainer): the only container when none
 * is named, else a container, init container or ephemeral container of the pod.
 */
export function logContainer(pod: KubeObject, requested: string): string {
  const spec = isPlainObject(pod['spec']) ? pod['spec'] : {};
  const names = (field: string) => (Array.isArray(spec[field]) ? spec[field] : []).map((c: unknown) => (isPlainObject(c) ? String(c['name']) : ''));
  const podName = String(pod.metadata?.name ?? '');
  if (requested === '') {
    const containers = names('containers');
    if (containers.length === 1) return containers[0]!;
    if (containers.length === 0) throw apiErrors.badRequest(`a container name must be specified for pod ${podName}`);
    const init = names('initContainers');
    let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
    if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
    throw apiErrors.badRequest(message);
  }
  const all = [...names('containers'), ...names('initContainers'), ...names('ephemeralContainers')];
  if (!all.includes(requested)) throw apiErrors.badRequest(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

/** host:port of the node's agent, as kube-apiserver's NodeConnectionInfoGetter finds it. */
export function kubeletHostPort(node: KubeObject): { host: string; port: number } {
  const status = isPlainObject(node['status']) ? node['status'] : {};
  const addresses = (Array.isArray(status['addresses']) ? status['addresses'] : []).filter(isPlainObject) as { type?: string; address?: string }[];
  let host: string | undefined;
  for (const type of PREFERRED_ADDRESS_TYPES) {
    host = addresses.find((a) => a.type === type && a.address)?.address;
    if (host) break;
  }
  if (!host) {
    const known = addresses.map((a) => `{${a.type} ${a.address}}`).join(' ');
    throw new ApiError(500, '', `no preferred addresses found; known addresses: [${known}]`);
  }
  const endpoints = isPlainObject(status['daemonEndpoints']) ? status['daemonEndpoints'] : {};
  const kubelet = isPlainObject(endpoints['kubeletEndpoint']) ? endpoints['kubeletEndpoint'] : {};
  const port = typeof kubelet['Port'] === 'number' && kubelet['Port'] > 0 ? kubelet['Port'] : DEFAULT_KUBELET_PORT;
  return { host, port };
}

/** The agent URL for one container's log, with the PodLogOptions the kubelet understands. */
export function containerLogUrl(hostPort: { host: string; port: number }, namespace: string, pod: string, container: string, query: URLSearchParams): URL {
  const host = hostPort.host.includes(':') ? `[${hostPort.host}]` : hostPort.host;
  const url = new URL(`https://${host}:${hostPort.port}`);
  url.pathname = `/containerLogs/${[namespace, pod, container].map(encodeURIComponent).join('/')}`;
  for (const name of FORWARDED) {
    const value = query.get(name);
    if (value !== null && value !== '' && value !== 'false') url.searchParams.set(name, value);
  }
  return url;
}
