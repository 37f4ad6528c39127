/**
 * Turns a request path into what it addresses, the way kube-apiserver's RequestInfoFactory does:
 *   /api/v1/namespaces/ns/pods/name/status  → resource request, verb from the method
 *   /apis/apps/v1/deployments?watch=true    → watch
 *   /api/v1/watch/namespaces/ns/pods        → legacy watch path
 *   /version, /healthz, /openapi/v3/...     → non-resource request
 */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequestInfo {
  isResourceRequest: true;
  path: string;
  verb: Verb;
  apiPrefix: 'api' | 'apis';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
}

export interface NonResourceRequestInfo {
  isResourceRequest: false;
  path: string;
  /** Lower-case HTTP method, as RBAC names non-resource verbs. */
  verb: string;
  /** Path segments, e.g. ['apis', 'apps'] for group discovery. */
  parts: string[];
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

/** namespaces/<name>/status and namespaces/<name>/finalize address the namespace itself, as in Kubernetes. */
const namespaceSubresources = new Set(['status', 'finalize']);

/** The non-empty segments, percent-decoded (only those with a '%' need it: decoding is the costly part). */
function pathSegments(path: string): string[] {
  const parts: string[] = [];
  for (const segment of path.split('/')) {
    if (segment !== '') parts.push(segment.includes('%') ? decodeURIComponent(segment) : segment);
  }
  return parts;
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = pathSegments(path);
  const m = method.toUpperCase();
  const nonResource = (): NonResourceRequestInfo => ({ isResourceRequest: false, path, verb: m.toLowerCase(), parts });

  let rest: string[];
  let apiPrefix: 'api' | 'apis';
  let group = '';
  if (parts[0] === 'api' && parts.length >= 3) {
    apiPrefix = 'api';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiPrefix = 'apis';
    group = parts[1];
    rest = parts.slice(3);
  } else {
    return nonResource();
  }
  const version = apiPrefix === 'api' ? parts[1] : parts[2];

  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }

  let namespace = '';
  // "namespaces/<ns>/<resource>..." addresses a namespaced resource; "namespaces" or
  // "namespaces/<ns>" (optionally with a subresource like "finalize"/"status") is the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresources.has(rest[2])) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    namespace = '';
  }
  const [resource = '', name = '', subresource = '', ...extra] = rest;
  if (extra.length > 0 || !resource) return nonResource();
  // A namespace's own name doubles as the "namespace" of the request (RBAC checks it that way).
  if (resource === 'namespaces' && name) namespace = name;

  const watchParam = query.get('watch');
  const isWatch = legacyWatch || watchParam === 'true' || watchParam === '1';
  let verb: Verb;
  switch (m) {
    case 'GET':
    case 'HEAD':
      verb = name ? (isWatch ? 'watch' : 'get') : isWatch ? 'watch' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      return nonResource();
  }
  return { isResourceRequest: true, path, verb, apiPrefix, group, version, namespace, resource, name, subresource };
}
