import type { UserInfo } from '../auth/user-info.ts';
import type { RequestInfo } from '../http/request-info.ts';
import { parseFieldSelector } from '../selectors/field-selector.ts';

/**
 * What an authorizer decides on (k8s.io/apiserver authorizer.Attributes): who, which verb, and
 * either a resource (group, resource, subresource, namespace, name) or a non-resource path.
 */
export interface ResourceAttributes {
  isResourceRequest: true;
  user: UserInfo;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export interface NonResourceAttributes {
  isResourceRequest: false;
  user: UserInfo;
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

/**
 * The attributes of an HTTP request. Like kube-apiserver's RequestInfoFactory, a list or watch
 * whose field selector pins `metadata.name` is authorized as a request for that one name, so a
 * role limited by resourceNames still allows `kubectl get pod p` and `kubectl get pod p -w`.
 */
export function attributesOf(user: UserInfo, info: RequestInfo, query: URLSearchParams): Attributes {
  if (!info.isResourceRequest) return { isResourceRequest: false, user, verb: info.verb, path: info.path };
  let name = info.name;
  if (!name && (info.verb === 'list' || info.verb === 'watch')) name = nameFromFieldSelector(query.get('fieldSelector'));
  return {
    isResourceRequest: true,
    user,
    verb: info.verb,
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name,
  };
}

function nameFromFieldSelector(selector: string | null): string {
  if (!selector) return '';
  let name: string | undefined;
  try {
    name = parseFieldSelector(selector).requiresExactMatch('metadata.name');
  } catch {
    return ''; // the handler reports a malformed selector with its own 400
  }
  // Only a name that could be a path segment counts (path.IsValidPathSegmentName).
  if (!name || name === '.' || name === '..' || name.includes('/') || name.includes('%')) return '';
  return name;
}
