import type { UserInfo } from '../auth/user-info.ts';
import { SYSTEM_MASTERS } from '../auth/well-known-identities.ts';
import type { RbacPolicyIndex } from './policy-index.ts';
import type { Attributes } from './request-attributes.ts';
import { ruleAllows } from './rule-matching.ts';
import { ALL, type PolicyRule } from './types.ts';

export interface Decision {
  allowed: boolean;
  /** "RBAC: allowed by ..." or, when denied, the role lookups that failed ("" when none did). */
  reason: string;
}

/** Everything, as the privileged-group authorizer reports it in rule reviews. */
const EVERYTHING: PolicyRule[] = [
  { verbs: [ALL], apiGroups: [ALL], resources: [ALL] },
  { verbs: [ALL], nonResourceURLs: [ALL] },
];

/**
 * kube-apiserver's authorizer chain as K3s configures it for the users this server has: members
 * of `system:masters` may do anything (the privileged-group authorizer, which never consults RBAC),
 * everyone else is authorized by RBAC.
 */
export class RbacAuthorizer {
  private readonly index: RbacPolicyIndex;

  constructor(index: RbacPolicyIndex) {
    this.index = index;
  }

  authorize(attrs: Attributes): Decision {
    if (attrs.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
    const namespace = attrs.isResourceRequest ? attrs.namespace : '';
    const errors: string[] = [];
    for (const entry of this.index.rulesFor(attrs.user, namespace)) {
      if (entry.error !== undefined) errors.push(entry.error);
      else if (ruleAllows(attrs, entry.rule)) return { allowed: true, reason: entry.allowedReason };
    }
    return { allowed: false, reason: errors.length ? `RBAC: ${aggregateErrors(errors)}` : '' };
  }

  /**
   * The rules a user holds in a namespace (RulesFor), for SelfSubjectRulesReview and escalation
   * checks; `errors` lists role references that could not be resolved (the result is incomplete).
   */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = user.groups.includes(SYSTEM_MASTERS) ? [...EVERYTHING] : [];
    const errors: string[] = [];
    for (const entry of this.index.rulesFor(user, namespace)) {
      if (entry.error !== undefined) errors.push(entry.error);
      else rules.push(entry.rule);
    }
    return { rules, errors };
  }
}

/** utilerrors.NewAggregate(...).Error(): one error as is, several as "[a, b]". */
export function aggregateErrors(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}
