import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.ts';
import type { UserInfo } from '../auth/user-info.ts';
import { serviceAccountUsername } from '../auth/well-known-identities.ts';
import type { Store, StorageEvent, WatchHandle } from '../storage/types.ts';
import { RBAC_GROUP, type AggregationRule, type PolicyRule, type RoleRef, type Subject } from './types.ts';

export const RBAC_PREFIXES = {
  roles: `/registry/${RBAC_GROUP}/roles/`,
  clusterRoles: `/registry/${RBAC_GROUP}/clusterroles/`,
  roleBindings: `/registry/${RBAC_GROUP}/rolebindings/`,
  clusterRoleBindings: `/registry/${RBAC_GROUP}/clusterrolebindings/`,
};

export interface IndexedRole {
  name: string;
  namespace: string;
  rules: PolicyRule[];
  labels: Record<string, string>;
  aggregationRule?: AggregationRule;
}

export interface IndexedBinding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  /** '' for ClusterRoleBindings. */
  namespace: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

/** Which binding (and which of its subjects) granted a rule: Kubernetes names it in "allowed by ...". */
export interface RuleSource {
  binding: IndexedBinding;
  subject: Subject;
}

/**
 * One step of rule resolution: a rule with where it came from (and the "RBAC: allowed by ..."
 * reason it gives, worded once here rather than on every request), or a role that could not be found.
 */
export type ResolvedEntry =
  | { rule: PolicyRule; source: RuleSource; allowedReason: string; error?: undefined }
  | { error: string; rule?: undefined; source?: undefined; allowedReason?: undefined };

/**
 * The RBAC objects in memory, kept current from storage watches (updated synchronously inside
 * the write that changes them, so a binding is effective as soon as its create returns), and the
 * rules that apply to a user in a namespace. Resolution results are cached per (user, groups,
 * namespace) until the next RBAC change, so authorizing a request is a map lookup and a scan
 * of a few rules rather than a walk over every binding.
 */
export class RbacPolicyIndex {
  private readonly roles = new Map<string, IndexedRole>();
  private readonly clusterRoles = new Map<string, IndexedRole>();
  private readonly roleBindings = new Map<string, Map<string, IndexedBinding>>();
  private readonly clusterRoleBindings = new Map<string, IndexedBinding>();
  private readonly resolved = new Map<string, ResolvedEntry[]>();
  private readonly handles: WatchHandle[] = [];
  private readonly listeners: Array<() => void> = [];
  private readonly log: Logger;
  private readonly maxCachedResolutions: number;
  private changes = 0;

  constructor(log: Logger, maxCachedResolutions = 4096) {
    this.log = log;
    this.maxCachedResolutions = maxCachedResolutions;
  }

  /** Loads everything and follows changes. */
  start(store: Store): void {
    for (const prefix of Object.values(RBAC_PREFIXES)) {
      const list = store.list(prefix);
      for (const entry of list.items) this.apply(prefix, entry.key, entry.value);
      this.handles.push(store.watch(prefix, list.revision, (e) => this.onEvent(prefix, e)));
    }
  }

  stop(): void {
    for (const h of this.handles) h.stop();
  }

  /** Called (synchronously, inside the write) after every change of an RBAC object. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Increases with every RBAC change. */
  get generation(): number {
    return this.changes;
  }

  clusterRole(name: string): IndexedRole | undefined {
    return this.clusterRoles.get(name);
  }

  allClusterRoles(): IndexedRole[] {
    return [...this.clusterRoles.values()];
  }

  /**
   * The rules that apply to `user` in `namespace` ('' = cluster-wide only), in Kubernetes'
   * order: ClusterRoleBindings first, then the namespace's RoleBindings, each sorted by name.
   */
  rulesFor(user: UserInfo, namespace: string): readonly ResolvedEntry[] {
    const key = `${namespace}\u0000${user.username}\u0000${user.groups.join('\u0000')}`;
    let entries = this.resolved.get(key);
    if (!entries) {
      entries = this.resolve(user, namespace);
      if (this.resolved.size >= this.maxCachedResolutions) this.resolved.clear();
      this.resolved.set(key, entries);
    }
    return entries;
  }

  /** The rules a role reference grants in a namespace (GetRoleReferenceRules), or why it has none. */
  roleReferenceRules(roleRef: RoleRef, namespace: string): { rules: PolicyRule[] } | { error: string } {
    if (roleRef.kind === 'Role') {
      const role = this.roles.get(`${namespace}/${roleRef.name}`);
      return role ? { rules: role.rules } : { error: `role.${RBAC_GROUP} "${roleRef.name}" not found` };
    }
    if (roleRef.kind === 'ClusterRole') {
      const role = this.clusterRoles.get(roleRef.name);
      return role ? { rules: role.rules } : { error: `clusterrole.${RBAC_GROUP} "${roleRef.name}" not found` };
    }
    return { error: `unsupported role reference kind: "${roleRef.kind}"` };
  }

  private resolve(user: UserInfo, namespace: string): ResolvedEntry[] {
    const entries: ResolvedEntry[] = [];
    const visit = (binding: IndexedBinding) => {
      const subject = firstApplicableSubject(binding, user);
      if (!subject) return;
      const ref = this.roleReferenceRules(binding.roleRef, binding.namespace);
      if ('error' in ref) entries.push({ error: ref.error });
      else {
        const source = { binding, subject };
        const allowedReason = `RBAC: allowed by ${describeSource(source)}`;
        for (const rule of ref.rules) entries.push({ rule, source, allowedReason });
      }
    };
    for (const b of sortedByName(this.clusterRoleBindings)) visit(b);
    if (namespace) {
      const inNamespace = this.roleBindings.get(namespace);
      if (inNamespace) for (const b of sortedByName(inNamespace)) visit(b);
    }
    return entries;
  }

  private onEvent(prefix: string, e: StorageEvent): void {
    try {
      this.apply(prefix, e.key, e.type === 'DELETED' ? undefined : e.value);
    } finally {
      this.resolved.clear();
      this.changes++;
      for (const l of this.listeners) l();
    }
  }

  private apply(prefix: string, key: string, value: string | undefined): void {
    const path = key.slice(prefix.length);
    const slash = path.indexOf('/');
    const namespace = slash >= 0 ? path.slice(0, slash) : '';
    const name = slash >= 0 ? path.slice(slash + 1) : path;
    let obj: KubeObject | undefined;
    if (value !== undefined) {
      try {
        obj = JSON.parse(value) as KubeObject;
      } catch (err) {
        this.log.error({ err, key }, 'unreadable RBAC object ignored');
      }
    }
    switch (prefix) {
      case RBAC_PREFIXES.roles:
        setOrDelete(this.roles, `${namespace}/${name}`, obj && toRole(obj, name, namespace));
        break;
      case RBAC_PREFIXES.clusterRoles:
        setOrDelete(this.clusterRoles, name, obj && toRole(obj, name, ''));
        break;
      case RBAC_PREFIXES.clusterRoleBindings:
        setOrDelete(this.clusterRoleBindings, name, obj && toBinding(obj, 'ClusterRoleBinding', name, ''));
        break;
      case RBAC_PREFIXES.roleBindings: {
        let inNamespace = this.roleBindings.get(namespace);
        if (!inNamespace) this.roleBindings.set(namespace, (inNamespace = new Map()));
        setOrDelete(inNamespace, name, obj && toBinding(obj, 'RoleBinding', name, namespace));
        if (inNamespace.size === 0) this.roleBindings.delete(namespace);
        break;
      }
    }
  }
}

/** appliesToUser: User by name, Group by membership, ServiceAccount by its username. */
export function subjectAppliesTo(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && user.username === serviceAccountUsername(namespace, subject.name);
    }
    default:
      return false;
  }
}

function firstApplicableSubject(binding: IndexedBinding, user: UserInfo): Subject | undefined {
  return binding.subjects.find((s) => subjectAppliesTo(s, user, binding.namespace));
}

/** Kubernetes' source description, e.g. `RoleBinding "view-bot/alice" of ClusterRole "view" to ServiceAccount "bot/alice"`. */
export function describeSource(source: RuleSource): string {
  const { binding, subject } = source;
  const bindingName = binding.kind === 'RoleBinding' ? `${binding.name}/${binding.namespace}` : binding.name;
  return `${binding.kind} ${JSON.stringify(bindingName)} of ${binding.roleRef.kind} ${JSON.stringify(binding.roleRef.name)} to ${describeSubject(subject, binding.namespace)}`;
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `${subject.kind} ${JSON.stringify(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

function sortedByName(bindings: Map<string, IndexedBinding>): IndexedBinding[] {
  return [...bindings.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function setOrDelete<T>(map: Map<string, T>, key: string, value: T | undefined): void {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}

function toRole(obj: KubeObject, name: string, namespace: string): IndexedRole {
  const role: IndexedRole = { name, namespace, rules: Array.isArray(obj['rules']) ? (obj['rules'] as PolicyRule[]) : [], labels: obj.metadata.labels ?? {} };
  if (obj['aggregationRule']) role.aggregationRule = obj['aggregationRule'] as AggregationRule;
  return role;
}

function toBinding(obj: KubeObject, kind: IndexedBinding['kind'], name: string, namespace: string): IndexedBinding {
  return { kind, name, namespace, roleRef: obj['roleRef'] as RoleRef, subjects: Array.isArray(obj['subjects']) ? (obj['subjects'] as Subject[]) : [] };
}
