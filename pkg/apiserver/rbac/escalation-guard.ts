import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import type { UserInfo } from '../auth/user-info.ts';
import { SYSTEM_MASTERS } from '../auth/well-known-identities.ts';
import type { RbacAuthorizer } from './authorizer.ts';
import { forbiddenWithMessage } from './forbidden.ts';
import type { RbacPolicyIndex } from './policy-index.ts';
import { compactRules, compactString, covers, goQuotedList } from './policy-covers.ts';
import { ALL, RBAC_GROUP, type PolicyRule, type RoleRef } from './types.ts';

const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: [ALL], apiGroups: [ALL], resources: [ALL] },
  { verbs: [ALL], nonResourceURLs: [ALL] },
];

type RbacResource = 'roles' | 'clusterroles' | 'rolebindings' | 'clusterrolebindings';
const RBAC_RESOURCES = new Set<string>(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);

/**
 * RBAC escalation prevention, as kube-apiserver's RBAC storage enforces it: a user may only
 * create or change a Role/ClusterRole whose rules they already hold (or with the `escalate`
 * verb on it), and only bind a role whose rules they hold (or with the `bind` verb on it);
 * using an aggregationRule needs cluster-admin's authority. Members of system:masters are exempt.
 *
 * The checks run inside the RBAC kinds' strategy hooks, so they see the final object of every
 * write path (create, update, every patch type, server-side apply): `forUser` returns the
 * resource type with its strategy bound to the requesting user.
 */
export class EscalationGuard {
  private readonly authorizer: RbacAuthorizer;
  private readonly index: RbacPolicyIndex;

  constructor(authorizer: RbacAuthorizer, index: RbacPolicyIndex) {
    this.authorizer = authorizer;
    this.index = index;
  }

  forUser(rt: ResourceType, user: UserInfo): ResourceType {
    if (rt.group !== RBAC_GROUP || !RBAC_RESOURCES.has(rt.resource) || user.groups.includes(SYSTEM_MASTERS)) return rt;
    const resource = rt.resource as RbacResource;
    const base = rt.strategy;
    return {
      ...rt,
      strategy: {
        ...base,
        prepareForCreate: (obj) => {
          this.check(resource, user, obj, undefined);
          base.prepareForCreate?.(obj);
        },
        prepareForUpdate: (obj, old) => {
          this.check(resource, user, obj, old);
          base.prepareForUpdate?.(obj, old);
        },
      },
    };
  }

  private check(resource: RbacResource, user: UserInfo, obj: KubeObject, old: KubeObject | undefined): void {
    const name = obj.metadata.name ?? '';
    const namespace = obj.metadata.namespace ?? '';
    if (old && onlyGcFieldsChanged(obj, old)) return;
    if (resource === 'roles' || resource === 'clusterroles') {
      if (this.allowed(user, 'escalate', resource, namespace, old ? name : '')) return;
      this.confirmNoEscalation(user, namespace, (obj['rules'] as PolicyRule[] | undefined) ?? [], resource, name);
      if (resource === 'clusterroles' && (obj['aggregationRule'] || old?.['aggregationRule'])) {
        if (!covers(this.authorizer.rulesFor(user, '').rules, FULL_AUTHORITY).covered) {
          throw forbiddenWithMessage(RBAC_GROUP, resource, name, 'must have cluster-admin privileges to use the aggregationRule');
        }
      }
      return;
    }
    const roleRef = obj['roleRef'] as RoleRef | undefined;
    if (!roleRef) return; // validation reports the missing roleRef
    const roleResource = roleRef.kind === 'Role' ? 'roles' : roleRef.kind === 'ClusterRole' ? 'clusterroles' : undefined;
    if (roleResource && roleRef.apiGroup === RBAC_GROUP && this.allowed(user, 'bind', roleResource, namespace, roleRef.name)) return;
    const referenced = this.index.roleReferenceRules(roleRef, namespace);
    if ('error' in referenced) throw forbiddenWithMessage(RBAC_GROUP, resource, name, referenced.error);
    this.confirmNoEscalation(user, namespace, referenced.rules, resource, name);
  }

  private allowed(user: UserInfo, verb: string, resource: string, namespace: string, name: string): boolean {
    return this.authorizer.authorize({ isResourceRequest: true, user, verb, apiGroup: RBAC_GROUP, apiVersion: ALL, resource, subresource: '', namespace, name }).allowed;
  }

  /** ConfirmNoEscalation: the user's own rules in the namespace must cover `rules`. */
  private confirmNoEscalation(user: UserInfo, namespace: string, rules: PolicyRule[], resource: string, name: string): void {
    const owned = this.authorizer.rulesFor(user, namespace);
    const { covered, missing } = covers(owned.rules, rules);
    if (covered) return;
    const lines = [...new Set(compactRules(missing).map(compactString))].sort();
    let message = `user ${JSON.stringify(user.username)} (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
    if (owned.errors.length > 0) message += `; resolution errors: [${owned.errors.join(' ')}]`;
    throw forbiddenWithMessage(RBAC_GROUP, resource, name, message);
  }
}

/** IsOnlyMutatingGCFields: an update that only touches ownerReferences and finalizers. */
function onlyGcFieldsChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, resourceVersion: _r, managedFields: _m, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return isDeepStrictEqual(strip(obj), strip(old));
}

