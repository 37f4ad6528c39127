import { apiErrors } from '../api/errors.ts';
import { fieldErrors, type FieldError } from '../api/field-error.ts';
import { isPlainObject, type KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import type { UserInfo } from '../auth/user-info.ts';
import type { Decision, RbacAuthorizer } from '../rbac/authorizer.ts';
import type { Attributes } from '../rbac/request-attributes.ts';
import type { WriteResult } from '../registry/rest-storage.ts';
import { requireKindOf } from '../registry/type-meta.ts';
import type { VirtualCreateHandler } from './virtual-resources.ts';

type Obj = Record<string, unknown>;

/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i`): may the requester do
 * this? Answered by the same authorizer that guards every request, never stored.
 */
export function selfSubjectAccessReviewHandler(authorizer: RbacAuthorizer): VirtualCreateHandler {
  return ({ rt, body, user }) => {
    const review = requireKindOf(rt, body);
    const spec = specOf(review);
    const errs = validateAttributes(spec, 'spec');
    if (errs.length > 0) throw invalid(rt, errs);
    return answer(review, spec, authorizer.authorize(attributesFrom(user, spec)));
  };
}

/** SubjectAccessReview: may the user (and groups) named in the spec do this? */
export function subjectAccessReviewHandler(authorizer: RbacAuthorizer): VirtualCreateHandler {
  return ({ rt, body }) => {
    const review = requireKindOf(rt, body);
    const spec = specOf(review);
    const errs = validateAttributes(spec, 'spec');
    if (!spec['user'] && !(Array.isArray(spec['groups']) && spec['groups'].length > 0)) {
      errs.push(fieldErrors.invalid('spec.user', spec['user'] ?? '', 'at least one of user or group must be specified'));
    }
    if (errs.length > 0) throw invalid(rt, errs);
    return answer(review, spec, authorizer.authorize(attributesFrom(subjectOf(spec), spec)));
  };
}

/** LocalSubjectAccessReview: a SubjectAccessReview limited to the namespace it is posted in. */
export function localSubjectAccessReviewHandler(authorizer: RbacAuthorizer): VirtualCreateHandler {
  return ({ rt, namespace, body }) => {
    const review = requireKindOf(rt, body);
    const metaNamespace = review.metadata.namespace ?? '';
    if (metaNamespace && metaNamespace !== namespace) throw apiErrors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
    review.metadata.namespace = namespace;
    const spec = specOf(review);
    const errs = validateAttributes(spec, 'spec');
    if (spec['nonResourceAttributes']) errs.push(fieldErrors.invalid('spec.nonResourceAttributes', spec['nonResourceAttributes'], 'disallowed on this kind of request'));
    const resourceAttributes = isPlainObject(spec['resourceAttributes']) ? spec['resourceAttributes'] : undefined;
    if (resourceAttributes && (resourceAttributes['namespace'] ?? '') !== namespace) {
      errs.push(fieldErrors.invalid('spec.resourceAttributes.namespace', resourceAttributes['namespace'] ?? '', 'must match metadata.namespace'));
    }
    if (!spec['user'] && !(Array.isArray(spec['groups']) && spec['groups'].length > 0)) {
      errs.push(fieldErrors.invalid('spec.user', spec['user'] ?? '', 'at least one of user or group must be specified'));
    }
    if (errs.length > 0) throw invalid(rt, errs);
    return answer(review, spec, authorizer.authorize(attributesFrom(subjectOf(spec), spec)));
  };
}

function specOf(review: KubeObject): Obj {
  if (!isPlainObject(review['spec'])) review['spec'] = {};
  return review['spec'] as Obj;
}

/** Exactly one of resourceAttributes and nonResourceAttributes (ValidateSelfSubjectAccessReviewSpec). */
function validateAttributes(spec: Obj, path: string): FieldError[] {
  const hasResource = isPlainObject(spec['resourceAttributes']);
  const hasNonResource = isPlainObject(spec['nonResourceAttributes']);
  if (hasResource && hasNonResource) return [fieldErrors.invalid(`${path}.nonResourceAttributes`, spec['nonResourceAttributes'], 'cannot be specified in combination with resourceAttributes')];
  if (!hasResource && !hasNonResource) return [fieldErrors.invalid(`${path}.resourceAttributes`, null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  return [];
}

function invalid(rt: ResourceType, errs: FieldError[]) {
  return apiErrors.invalid({ group: rt.group, resource: rt.resource, kind: rt.kind }, '', errs);
}

/** ResourceAttributesFrom / NonResourceAttributesFrom. */
export function attributesFrom(user: UserInfo, spec: Obj): Attributes {
  const str = (o: Obj, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
  if (isPlainObject(spec['resourceAttributes'])) {
    const a = spec['resourceAttributes'];
    return {
      isResourceRequest: true,
      user,
      verb: str(a, 'verb'),
      apiGroup: str(a, 'group'),
      apiVersion: str(a, 'version') || '*',
      resource: str(a, 'resource'),
      subresource: str(a, 'subresource'),
      namespace: str(a, 'namespace'),
      name: str(a, 'name'),
    };
  }
  const n = spec['nonResourceAttributes'] as Obj;
  return { isResourceRequest: false, user, verb: str(n, 'verb'), path: str(n, 'path') };
}

/** The user a SubjectAccessReview asks about: only what the spec says (no groups are added). */
function subjectOf(spec: Obj): UserInfo {
  const user: UserInfo = {
    username: typeof spec['user'] === 'string' ? spec['user'] : '',
    groups: Array.isArray(spec['groups']) ? spec['groups'].filter((g): g is string => typeof g === 'string') : [],
  };
  if (typeof spec['uid'] === 'string' && spec['uid']) user.uid = spec['uid'];
  if (isPlainObject(spec['extra'])) user.extra = spec['extra'] as Record<string, string[]>;
  return user;
}

function answer(review: KubeObject, spec: Obj, decision: Decision): WriteResult {
  const status: Obj = { allowed: decision.allowed };
  if (decision.reason) status['reason'] = decision.reason;
  const out = { kind: review.kind, apiVersion: review.apiVersion, metadata: review.metadata, spec, status };
  return { code: 201, body: JSON.stringify(out) };
}
