import type { RequestInfo } from '../http/request-info.ts';

/**
 * The labels kube-apiserver puts on apiserver_request_total and apiserver_request_duration_seconds
 * (k8s.io/apiserver/pkg/endpoints/metrics). `code` is added by the counter.
 */
export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

/** What the mapping needs from the request besides its RequestInfo. */
export interface RequestFacts {
  method: string;
  contentType: string | undefined;
  /** The raw query string (`?a=b`, or ''), checked for dryRun without parsing it. */
  search: string;
  query: URLSearchParams;
}

/** Subresources kube-apiserver reports as CONNECT (streaming proxies to the node). */
const connectSubresources = new Set(['log', 'exec', 'portforward', 'attach', 'proxy']);

/** HTTP methods that count as reported verbs for non-resource requests; anything else is "other". */
const reportedMethods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

const resourceVerbs: Record<string, string> = {
  get: 'GET',
  list: 'LIST',
  watch: 'WATCH',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETECOLLECTION',
};

/**
 * Maps a request to Kubernetes' metric labels:
 * - verb: upper case as kube-apiserver reports it (GET, LIST, WATCH, POST, PUT, PATCH, APPLY, DELETE,
 *   DELETECOLLECTION, CONNECT for streaming subresources);
 * - scope: "resource" when a name is addressed or for a create, "namespace", "cluster", and "" for
 *   non-resource requests (CleanScope);
 * - non-resource requests have empty group/version/resource and their endpoint as subresource
 *   (`/healthz`, `/openapi/v2`), like kube-apiserver's instrumented handlers; endpoints whose path
 *   varies (per-group discovery, per-group OpenAPI v3, health sub-checks) collapse to their root
 *   and unknown paths to "", so a client probing random URLs cannot grow the series without bound.
 */
export function requestLabels(info: RequestInfo | undefined, facts: RequestFacts): RequestLabels {
  const dryRun = dryRunLabel(facts.search, facts.query);
  if (info?.isResourceRequest) {
    let verb = resourceVerbs[info.verb];
    if (verb === 'PATCH' && isApplyPatch(facts.contentType)) verb = 'APPLY';
    if (info.subresource && connectSubresources.has(info.subresource)) verb = 'CONNECT';
    const scope = info.name || info.verb === 'create' ? 'resource' : info.namespace ? 'namespace' : 'cluster';
    return { verb, dry_run: dryRun, group: info.group, version: info.version, resource: info.resource, subresource: info.subresource, scope, component: 'apiserver' };
  }
  const method = facts.method.toUpperCase();
  const verb = method === 'HEAD' ? 'GET' : reportedMethods.has(method) ? method : 'other';
  const endpoint = nonResourceEndpoint(info?.path ?? '');
  // kube-apiserver instruments its health handlers without a component.
  const component = endpoint === '/healthz' || endpoint === '/livez' || endpoint === '/readyz' ? '' : 'apiserver';
  return { verb, dry_run: dryRun, group: '', version: '', resource: '', subresource: endpoint, scope: '', component };
}

/** The bounded "subresource" label of a non-resource request. */
export function nonResourceEndpoint(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  const [first = '', second = ''] = parts;
  switch (first) {
    case 'healthz':
    case 'livez':
    case 'readyz':
    case 'version':
    case 'metrics':
    case 'api':
    case 'apis':
      return `/${first}`;
    case 'openapi':
      return second === 'v2' || second === 'v3' ? `/openapi/${second}` : '';
    default:
      return '';
  }
}

/** cleanDryRun: "" without the parameter, the sorted distinct values when valid, else "invalid". */
export function dryRunLabel(search: string, query: URLSearchParams): string {
  if (!search.includes('dryRun')) return '';
  const values = query.getAll('dryRun');
  if (values.length === 0) return '';
  if (values.some((v) => v !== 'All')) return 'invalid';
  return 'All';
}

function isApplyPatch(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.startsWith('application/apply-patch+yaml');
}

/** The request kinds of apiserver_current_inflight_requests: reads vs. everything else. */
export function isMutatingMethod(method: string | undefined): boolean {
  return !(method === 'GET' || method === 'HEAD' || method === 'OPTIONS');
}
