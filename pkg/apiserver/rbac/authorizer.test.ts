import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserInfo } from '../auth/user-info.ts';
import { createMemoryStore } from '../storage/index.ts';
import type { Store } from '../storage/types.ts';
import { RbacAuthorizer } from './authorizer.ts';
import { forbiddenError } from './forbidden.ts';
import { RBAC_PREFIXES, RbacPolicyIndex } from './policy-index.ts';
import type { Attributes } from './request-attributes.ts';

const bot: UserInfo = { username: 'system:serviceaccount:alice:bot', uid: 'u1', groups: ['system:serviceaccounts', 'system:serviceaccounts:alice', 'system:authenticated'] };
const carol: UserInfo = { username: 'carol', groups: ['devs', 'system:authenticated'] };
const admin: UserInfo = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };

function put(store: Store, prefix: string, path: string, obj: Record<string, unknown>): void {
  const key = prefix + path;
  const text = JSON.stringify(obj);
  if (store.get(key)) store.update(key, store.get(key)!.modRevision, () => text);
  else store.create(key, () => text);
}

const clusterRole = (name: string, rules: unknown[]) => put(store, RBAC_PREFIXES.clusterRoles, name, { metadata: { name }, rules });
const role = (ns: string, name: string, rules: unknown[]) => put(store, RBAC_PREFIXES.roles, `${ns}/${name}`, { metadata: { name, namespace: ns }, rules });
const roleRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
const roleBinding = (ns: string, name: string, ref: unknown, subjects: unknown[]) =>
  put(store, RBAC_PREFIXES.roleBindings, `${ns}/${name}`, { metadata: { name, namespace: ns }, roleRef: ref, subjects });
const clusterRoleBinding = (name: string, ref: unknown, subjects: unknown[]) => put(store, RBAC_PREFIXES.clusterRoleBindings, name, { metadata: { name }, roleRef: ref, subjects });

const resource = (user: UserInfo, verb: string, resourceName: string, namespace: string, extra: Record<string, string> = {}): Attributes => ({
  isResourceRequest: true,
  user,
  verb,
  apiGroup: '',
  apiVersion: 'v1',
  resource: resourceName,
  subresource: '',
  namespace,
  name: '',
  ...extra,
});

let store: Store;
let index: RbacPolicyIndex;
let authorizer: RbacAuthorizer;

function setUp(): void {
  store = createMemoryStore();
  index = new RbacPolicyIndex(pino({ level: 'silent' }));
  index.start(store);
  authorizer = new RbacAuthorizer(index);
}

afterEach(() => index.stop());

describe('RBAC authorization', () => {
  it('a RoleBinding to a ClusterRole grants its rules in the binding namespace only', () => {
    setUp();
    clusterRole('view', [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] }]);
    roleBinding('alice', 'bot-view', roleRef('ClusterRole', 'view'), [{ kind: 'ServiceAccount', name: 'bot' }]);
    const allowed = authorizer.authorize(resource(bot, 'list', 'pods', 'alice'));
    expect(allowed).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "bot-view/alice" of ClusterRole "view" to ServiceAccount "bot/alice"' });
    expect(authorizer.authorize(resource(bot, 'list', 'pods', 'bob')).allowed).toBe(false);
    expect(authorizer.authorize(resource(bot, 'list', 'pods', '')).allowed).toBe(false);
    expect(authorizer.authorize(resource(bot, 'delete', 'pods', 'alice')).allowed).toBe(false);
  });

  it('matches User, Group and ServiceAccount subjects; an SA subject of a ClusterRoleBinding needs its namespace', () => {
    setUp();
    clusterRole('cm-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]);
    clusterRoleBinding('by-user', roleRef('ClusterRole', 'cm-reader'), [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'carol' }]);
    expect(authorizer.authorize(resource(carol, 'get', 'configmaps', 'x')).allowed).toBe(true);
    clusterRole('secret-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]);
    clusterRoleBinding('by-group', roleRef('ClusterRole', 'secret-reader'), [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:alice' }]);
    expect(authorizer.authorize(resource(bot, 'get', 'secrets', 'y')).allowed).toBe(true);
    expect(authorizer.authorize(resource(carol, 'get', 'secrets', 'y')).allowed).toBe(false);
    clusterRole('node-reader', [{ verbs: ['list'], apiGroups: [''], resources: ['nodes'] }]);
    clusterRoleBinding('sa-no-ns', roleRef('ClusterRole', 'node-reader'), [{ kind: 'ServiceAccount', name: 'bot' }]);
    expect(authorizer.authorize(resource(bot, 'list', 'nodes', '')).allowed).toBe(false);
    clusterRoleBinding('sa-with-ns', roleRef('ClusterRole', 'node-reader'), [{ kind: 'ServiceAccount', name: 'bot', namespace: 'alice' }]);
    expect(authorizer.authorize(resource(bot, 'list', 'nodes', '')).allowed).toBe(true);
  });

  it('follows changes as they are written, and Roles stay in their namespace', () => {
    setUp();
    role('alice', 'pod-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
    expect(authorizer.authorize(resource(carol, 'get', 'pods', 'alice')).allowed).toBe(false);
    roleBinding('alice', 'carol', roleRef('Role', 'pod-reader'), [{ kind: 'User', name: 'carol' }]);
    expect(authorizer.authorize(resource(carol, 'get', 'pods', 'alice')).allowed).toBe(true);
    role('alice', 'pod-reader', [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }]);
    expect(authorizer.authorize(resource(carol, 'get', 'pods', 'alice')).allowed).toBe(false);
    expect(authorizer.authorize(resource(carol, 'list', 'pods', 'alice')).allowed).toBe(true);
    store.delete(`${RBAC_PREFIXES.roleBindings}alice/carol`, undefined, () => '{"metadata":{}}');
    expect(authorizer.authorize(resource(carol, 'list', 'pods', 'alice')).allowed).toBe(false);
  });

  it('reports bindings to missing roles as the denial reason', () => {
    setUp();
    roleBinding('alice', 'dangling', roleRef('Role', 'nope'), [{ kind: 'User', name: 'carol' }]);
    clusterRoleBinding('dangling-cluster', roleRef('ClusterRole', 'gone'), [{ kind: 'Group', name: 'devs' }]);
    const d = authorizer.authorize(resource(carol, 'get', 'pods', 'alice'));
    expect(d).toEqual({ allowed: false, reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "nope" not found]' });
    expect(authorizer.rulesFor(carol, 'alice').errors).toHaveLength(2);
  });

  it('lets system:masters do anything without consulting RBAC', () => {
    setUp();
    expect(authorizer.authorize(resource(admin, 'delete', 'nodes', ''))).toEqual({ allowed: true, reason: '' });
    expect(authorizer.authorize({ isResourceRequest: false, user: admin, verb: 'get', path: '/metrics' }).allowed).toBe(true);
    expect(authorizer.rulesFor(admin, 'x').rules).toContainEqual({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
  });
});

describe('Forbidden messages', () => {
  it('read exactly like kube-apiserver', () => {
    expect(forbiddenError(resource(bot, 'list', 'pods', 'bob'), '').toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods is forbidden: User "system:serviceaccount:alice:bot" cannot list resource "pods" in API group "" in the namespace "bob"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
    expect(forbiddenError(resource(carol, 'list', 'nodes', ''), '').message).toBe('nodes is forbidden: User "carol" cannot list resource "nodes" in API group "" at the cluster scope');
    const log = forbiddenError(resource(carol, 'get', 'pods', 'alice', { subresource: 'log', name: 'p1' }), '');
    expect(log.message).toBe('pods "p1" is forbidden: User "carol" cannot get resource "pods/log" in API group "" in the namespace "alice"');
    expect(log.details).toMatchObject({ name: 'p1', kind: 'pods' });
    const apps = forbiddenError(resource(carol, 'create', 'deployments', 'a', { apiGroup: 'apps' }), 'RBAC: role.rbac.authorization.k8s.io "x" not found');
    expect(apps.message).toBe('deployments.apps is forbidden: User "carol" cannot create resource "deployments" in API group "apps" in the namespace "a": RBAC: role.rbac.authorization.k8s.io "x" not found');
    expect(apps.details).toMatchObject({ group: 'apps', kind: 'deployments' });
    const metrics = forbiddenError({ isResourceRequest: false, user: carol, verb: 'get', path: '/metrics' }, '');
    expect(JSON.parse(JSON.stringify(metrics.toStatus()))).toMatchObject({ message: 'forbidden: User "carol" cannot get path "/metrics"', details: {} });
  });
});
