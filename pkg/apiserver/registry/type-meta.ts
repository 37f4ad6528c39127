import { apiErrors } from '../api/errors.ts';
import { isPlainObject, type KubeObject } from '../api/object.ts';
import { apiVersionOf, type ResourceType } from '../api/resource-type.ts';

/**
 * Checks that a decoded body is an object of the kind this endpoint serves, the first thing
 * kube-apiserver's decoder does. A body without kind/apiVersion, or of another kind, is a 400.
 */
export function requireKindOf(rt: ResourceType, body: unknown, expectedKind = rt.kind): KubeObject {
  if (!isPlainObject(body)) throw apiErrors.badRequest(`the body of the request must be a JSON or YAML object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
  // Like kube-apiserver's decoder, the endpoint supplies a missing kind/apiVersion (client
  // libraries often send typed objects without them); a different one is an error.
  if (body['kind'] === undefined || body['kind'] === '') body['kind'] = expectedKind;
  if (body['apiVersion'] === undefined || body['apiVersion'] === '') body['apiVersion'] = apiVersionOf(rt);
  const kind = body['kind'];
  const apiVersion = body['apiVersion'];
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') throw apiErrors.badRequest(`apiVersion and kind must be strings in '${truncate(JSON.stringify(body))}'`);
  const expectedVersion = apiVersionOf(rt);
  if (apiVersion !== expectedVersion) {
    throw apiErrors.badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expectedVersion})`);
  }
  if (kind !== expectedKind) {
    throw apiErrors.badRequest(`the kind in the data (${kind}) does not match the expected kind (${expectedKind}) for this endpoint`);
  }
  if (body['metadata'] === undefined || body['metadata'] === null) body['metadata'] = {};
  if (!isPlainObject(body['metadata'])) throw apiErrors.badRequest(`${kind} in version "${rt.version}" cannot be handled as a ${kind}: metadata must be an object`);
  return body as KubeObject;
}

function truncate(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}
