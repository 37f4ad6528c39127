import { apiErrors } from '../api/errors.ts';
import { isPlainObject } from '../api/object.ts';
import { aggregateErrors, type RbacAuthorizer } from '../rbac/authorizer.ts';
import { requireKindOf } from '../registry/type-meta.ts';
import type { VirtualCreateHandler } from './virtual-resources.ts';

/**
 * authorization.k8s.io/v1 SelfSubjectRulesReview (`kubectl auth can-i --list -n NS`): the rules
 * the requester holds in a namespace, split into resource and non-resource rules. `incomplete`
 * is set when a binding refers to a role that does not exist.
 */
export function selfSubjectRulesReviewHandler(authorizer: RbacAuthorizer): VirtualCreateHandler {
  return ({ rt, body, user }) => {
    const review = requireKindOf(rt, body);
    const spec = isPlainObject(review['spec']) ? review['spec'] : {};
    const namespace = typeof spec['namespace'] === 'string' ? spec['namespace'] : '';
    if (!namespace) throw apiErrors.badRequest('no namespace on request');
    const { rules, errors } = authorizer.rulesFor(user, namespace);
    const resourceRules = rules
      .filter((r) => (r.resources ?? []).length > 0)
      .map((r) => withoutEmpty({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames }));
    const nonResourceRules = rules.filter((r) => (r.nonResourceURLs ?? []).length > 0).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs }));
    const status: Record<string, unknown> = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
    if (errors.length > 0) status['evaluationError'] = aggregateErrors(errors);
    const out = { kind: review.kind, apiVersion: review.apiVersion, metadata: review.metadata, spec: {}, status };
    return { code: 201, body: JSON.stringify(out) };
  };
}

function withoutEmpty(rule: Record<string, string[] | undefined>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined && v.length > 0)) as Record<string, string[]>;
}
