import { ApiError, qualifiedResource } from '../api/errors.ts';
import type { Attributes } from './request-attributes.ts';

/**
 * The 403 kube-apiserver sends when authorization fails, with its exact wording, e.g.
 *   pods is forbidden: User "system:serviceaccount:alice:bot" cannot list resource "pods" in API group "" in the namespace "bob"
 *   nodes "n1" is forbidden: User "x" cannot get resource "nodes" in API group "" at the cluster scope
 *   forbidden: User "x" cannot get path "/metrics"
 * followed by ": <reason>" when the authorizer gave one. details carry {name, group, kind: resource}.
 */
export function forbiddenError(attrs: Attributes, reason: string): ApiError {
  let message = forbiddenMessage(attrs);
  if (reason) message += `: ${reason}`;
  const group = attrs.isResourceRequest ? attrs.apiGroup : '';
  const resource = attrs.isResourceRequest ? attrs.resource : '';
  const name = attrs.isResourceRequest ? attrs.name : '';
  return new ApiError(403, 'Forbidden', wrap(group, resource, name, message), { name: name || undefined, group: group || undefined, kind: resource || undefined });
}

/** The authorizer's part of the message (responsewriters.forbiddenMessage). */
export function forbiddenMessage(attrs: Attributes): string {
  const username = JSON.stringify(attrs.user.username);
  if (!attrs.isResourceRequest) return `User ${username} cannot ${attrs.verb} path ${JSON.stringify(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace ${JSON.stringify(attrs.namespace)}` : 'at the cluster scope';
  return `User ${username} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup)} ${where}`;
}

/** apierrors.NewForbidden's framing of a message by group/resource and name. */
export function wrap(group: string, resource: string, name: string, message: string): string {
  if (!group && !resource) return `forbidden: ${message}`;
  const what = qualifiedResource(group, resource);
  return name ? `${what} ${JSON.stringify(name)} is forbidden: ${message}` : `${what} is forbidden: ${message}`;
}

/** apierrors.NewForbidden(groupResource, name, err) for a message that is not an authorizer's. */
export function forbiddenWithMessage(group: string, resource: string, name: string, message: string): ApiError {
  return new ApiError(403, 'Forbidden', wrap(group, resource, name, message), { name: name || undefined, group: group || undefined, kind: resource || undefined });
}
