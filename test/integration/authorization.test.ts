import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { requestAs } from '../support/credential-client.ts';
import { eventually } from '../support/eventually.ts';
import { rawRequest } from '../support/raw-client.ts';

/**
 * RBAC as kube-apiserver evaluates it, seen from clients: 403 Status shapes, resourceNames and
 * field-selector names, the review APIs, escalation prevention and the bootstrap policy.
 */
let server: RunningApiServer;
let dataDir: string;
const silent = pino({ level: 'silent' });
const rbacV1 = '/apis/rbac.authorization.k8s.io/v1';
const admin = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
  rawRequest(server, method, path, body === undefined ? undefined : JSON.stringify(body), { 'Content-Type': contentType });
const as = (token: string, method: string, path: string, body?: unknown) => requestAs(server.url, server.pki.ca.certPem, { token }, method, path, body);

async function ok(method: string, path: string, body?: unknown): Promise<void> {
  const r = await admin(method, path, body);
  expect(r.status, `${method} ${path}: ${r.body}`).toBeLessThan(300);
}

async function serviceAccountToken(ns: string, name: string): Promise<string> {
  await ok('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  const r = await admin('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
  return r.json<{ status: { token: string } }>().status.token;
}

const roleRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
const sa = (name: string, namespace?: string) => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });
const role = (ns: string, name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules });
const binding = (ns: string, name: string, ref: unknown, subjects: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: ref, subjects });
const accessReview = (resourceAttributes: Record<string, string>) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } });

let bot: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-authz-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: silent });
  for (const name of ['alice', 'bob']) await ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  bot = await serviceAccountToken('alice', 'bot');
  await ok('POST', `${rbacV1}/namespaces/alice/rolebindings`, binding('alice', 'bot-view', roleRef('ClusterRole', 'view'), [sa('bot')]));
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

describe('a service account bound to view in its namespace', () => {
  it('reads pods there, and gets kube-apiserver 403s elsewhere', async () => {
    expect((await as(bot, 'GET', '/api/v1/namespaces/alice/pods')).status).toBe(200);
    expect((await as(bot, 'GET', '/api/v1/namespaces/alice/configmaps')).status).toBe(200);
    const bob = await as(bot, 'GET', '/api/v1/namespaces/bob/pods');
    expect(bob.status).toBe(403);
    expect(bob.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods is forbidden: User "system:serviceaccount:alice:bot" cannot list resource "pods" in API group "" in the namespace "bob"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
    expect((await as(bot, 'GET', '/api/v1/namespaces/alice/secrets')).json<{ message: string }>().message).toBe(
      'secrets is forbidden: User "system:serviceaccount:alice:bot" cannot list resource "secrets" in API group "" in the namespace "alice"',
    );
    expect((await as(bot, 'GET', '/api/v1/nodes')).json<{ message: string }>().message).toBe(
      'nodes is forbidden: User "system:serviceaccount:alice:bot" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    const create = await as(bot, 'POST', '/api/v1/namespaces/alice/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(create.json<{ message: string }>().message).toBe(
      'configmaps is forbidden: User "system:serviceaccount:alice:bot" cannot create resource "configmaps" in API group "" in the namespace "alice"',
    );
    const metrics = await as(bot, 'GET', '/metrics');
    expect(metrics.status).toBe(403);
    expect(metrics.json()).toMatchObject({ message: 'forbidden: User "system:serviceaccount:alice:bot" cannot get path "/metrics"', details: {} });
    // Discovery is open to every authenticated user (system:discovery).
    for (const path of ['/api', '/apis', '/api/v1', '/openapi/v3']) expect((await as(bot, 'GET', path)).status, path).toBe(200);
  });

  it('names the object and subresource in a 403 on a named request', async () => {
    const other = await serviceAccountToken('alice', 'nobody');
    const r = await as(other, 'GET', '/api/v1/namespaces/alice/pods/p1/status');
    expect(r.status).toBe(403);
    expect(r.json()).toMatchObject({
      message: 'pods "p1" is forbidden: User "system:serviceaccount:alice:nobody" cannot get resource "pods/status" in API group "" in the namespace "alice"',
      details: { name: 'p1', kind: 'pods' },
    });
    const deployments = await as(other, 'GET', '/apis/apps/v1/namespaces/alice/deployments');
    expect(deployments.json()).toMatchObject({ message: expect.stringMatching(/^deployments\.apps is forbidden: .* in API group "apps" in the namespace "alice"$/), details: { group: 'apps', kind: 'deployments' } });
  });
});

describe('resourceNames', () => {
  it('allow named gets, and lists or watches pinned to the name by a field selector, but not plain lists', async () => {
    const token = await serviceAccountToken('alice', 'named');
    await ok('POST', '/api/v1/namespaces/alice/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-1' } });
    await ok('POST', `${rbacV1}/namespaces/alice/roles`, role('alice', 'one-cm', [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cm-1'] }]));
    await ok('POST', `${rbacV1}/namespaces/alice/rolebindings`, binding('alice', 'named', roleRef('Role', 'one-cm'), [sa('named')]));
    expect((await as(token, 'GET', '/api/v1/namespaces/alice/configmaps/cm-1')).status).toBe(200);
    expect((await as(token, 'GET', '/api/v1/namespaces/alice/configmaps/cm-2')).status).toBe(403);
    expect((await as(token, 'GET', '/api/v1/namespaces/alice/configmaps')).status).toBe(403);
    const pinned = await as(token, 'GET', '/api/v1/namespaces/alice/configmaps?fieldSelector=metadata.name%3Dcm-1');
    expect(pinned.status).toBe(200);
    expect(pinned.json<{ items: unknown[] }>().items).toHaveLength(1);
    expect((await as(token, 'GET', '/api/v1/namespaces/alice/configmaps?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dcm-1')).status).toBe(200);
    expect((await as(token, 'GET', '/api/v1/namespaces/alice/configmaps?fieldSelector=metadata.name%3Dcm-2')).status).toBe(403);
  });
});

describe('review APIs', () => {
  it('SelfSubjectAccessReview answers for the requester', async () => {
    const yes = await as(bot, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', accessReview({ namespace: 'alice', verb: 'list', resource: 'pods' }));
    expect(yes.status).toBe(201);
    expect(yes.json()).toMatchObject({
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'alice', verb: 'list', resource: 'pods' } },
      status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "bot-view/alice" of ClusterRole "view" to ServiceAccount "bot/alice"' },
    });
    const no = await as(bot, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', accessReview({ namespace: 'bob', verb: 'list', resource: 'pods' }));
    expect(no.json<{ status: unknown }>().status).toEqual({ allowed: false });
    const path = await as(bot, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { path: '/apis', verb: 'get' } } });
    expect(path.json<{ status: { allowed: boolean } }>().status.allowed).toBe(true);
    const neither = await as(bot, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} });
    expect(neither.status).toBe(422);
    expect(neither.json<{ message: string }>().message).toBe(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    expect((await admin('GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status).toBe(405);
    // Authorization comes first: for anyone else, reading reviews is simply not allowed.
    expect((await as(bot, 'GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status).toBe(403);
  });

  it('SelfSubjectRulesReview lists the rules held in a namespace', async () => {
    const r = await as(bot, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'alice' } });
    expect(r.status).toBe(201);
    const status = r.json<{ status: { resourceRules: { resources: string[]; verbs: string[] }[]; nonResourceRules: { nonResourceURLs: string[] }[]; incomplete: boolean } }>().status;
    expect(status.incomplete).toBe(false);
    const resources = status.resourceRules.flatMap((rule) => rule.resources);
    expect(resources).toEqual(expect.arrayContaining(['pods', 'configmaps', 'selfsubjectaccessreviews']));
    expect(resources).not.toContain('secrets');
    expect(status.nonResourceRules.flatMap((rule) => rule.nonResourceURLs)).toContain('/apis/*');
    const elsewhere = await as(bot, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'bob' } });
    expect(elsewhere.json<{ status: { resourceRules: { resources: string[] }[] } }>().status.resourceRules.flatMap((rule) => rule.resources)).not.toContain('pods');
  });

  it('SubjectAccessReview answers for anyone, but only to those allowed to ask', async () => {
    const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'system:serviceaccount:alice:bot', groups: ['system:serviceaccounts'], resourceAttributes: { namespace: 'alice', verb: 'get', resource: 'pods' } } };
    const r = await admin('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', review);
    expect(r.status).toBe(201);
    expect(r.json<{ status: { allowed: boolean } }>().status.allowed).toBe(true);
    const noUser = await admin('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { ...review, spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } });
    expect(noUser.json<{ message: string }>().message).toMatch(/spec\.user: Invalid value: "": at least one of user or group must be specified/);
    expect((await as(bot, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', review)).status).toBe(403);
    const local = await admin('POST', '/apis/authorization.k8s.io/v1/namespaces/alice/localsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'LocalSubjectAccessReview',
      spec: { user: 'system:serviceaccount:alice:bot', resourceAttributes: { namespace: 'alice', verb: 'list', resource: 'pods' } },
    });
    expect(local.status, local.body).toBe(201);
    expect(local.json<{ status: { allowed: boolean } }>().status.allowed).toBe(true);
  });

  it('are served in discovery and OpenAPI', async () => {
    const authz = await admin('GET', '/apis/authorization.k8s.io/v1');
    const resources = authz.json<{ resources: { name: string; verbs: string[]; namespaced: boolean }[] }>().resources;
    expect(resources.find((r) => r.name === 'selfsubjectaccessreviews')).toMatchObject({ verbs: ['create'], namespaced: false });
    const core = (await admin('GET', '/api/v1')).json<{ resources: { name: string; kind: string; group?: string; verbs: string[] }[] }>().resources;
    expect(core.find((r) => r.name === 'serviceaccounts/token')).toMatchObject({ kind: 'TokenRequest', group: 'authentication.k8s.io', verbs: ['create'] });
    const doc = (await admin('GET', '/openapi/v3/apis/authorization.k8s.io/v1')).json<{ components: { schemas: Record<string, unknown> } }>();
    expect(Object.keys(doc.components.schemas)).toContain('io.k8s.api.authorization.v1.SelfSubjectAccessReview');
  });
});

describe('escalation prevention', () => {
  it('lets a user grant only what they hold, unless they may escalate or bind', async () => {
    const token = await serviceAccountToken('alice', 'delegate');
    await ok('POST', `${rbacV1}/namespaces/alice/roles`, role('alice', 'role-admin', [
      { verbs: ['create', 'update', 'patch'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] },
    ]));
    await ok('POST', `${rbacV1}/namespaces/alice/rolebindings`, binding('alice', 'delegate', roleRef('Role', 'role-admin'), [sa('delegate')]));

    expect((await as(token, 'POST', `${rbacV1}/namespaces/alice/roles`, role('alice', 'cm-get', [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]))).status).toBe(201);
    const escalate = await as(token, 'POST', `${rbacV1}/namespaces/alice/roles`, role('alice', 'secret-get', [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'] }]));
    expect(escalate.status).toBe(403);
    expect(escalate.json()).toMatchObject({
      reason: 'Forbidden',
      details: { name: 'secret-get', group: 'rbac.authorization.k8s.io', kind: 'roles' },
      message:
        'roles.rbac.authorization.k8s.io "secret-get" is forbidden: user "system:serviceaccount:alice:delegate" (groups=["system:serviceaccounts" "system:serviceaccounts:alice" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}',
    });
    // The same check guards patches: the final object counts.
    const addRule = [{ op: 'add', path: '/rules/-', value: { verbs: ['delete'], apiGroups: [''], resources: ['pods'] } }];
    const patched = await requestAs(server.url, server.pki.ca.certPem, { token }, 'PATCH', `${rbacV1}/namespaces/alice/roles/cm-get`, addRule, 'application/json-patch+json');
    expect(patched.status).toBe(403);
    expect(patched.json<{ message: string }>().message).toMatch(/is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["pods"\], Verbs:\["delete"\]\}$/);

    const bindView = await as(token, 'POST', `${rbacV1}/namespaces/alice/rolebindings`, binding('alice', 'x-view', roleRef('ClusterRole', 'view'), [sa('bot')]));
    expect(bindView.status).toBe(403);
    expect(bindView.json<{ message: string }>().message).toMatch(/^rolebindings\.rbac\.authorization\.k8s\.io "x-view" is forbidden: user "system:serviceaccount:alice:delegate" .* is attempting to grant RBAC permissions not currently held:\n/);
    const bindMissing = await as(token, 'POST', `${rbacV1}/namespaces/alice/rolebindings`, binding('alice', 'x-missing', roleRef('Role', 'nope'), [sa('bot')]));
    expect(bindMissing.json<{ message: string }>().message).toBe('rolebindings.rbac.authorization.k8s.io "x-missing" is forbidden: role.rbac.authorization.k8s.io "nope" not found');
    expect((await as(token, 'POST', `${rbacV1}/namespaces/alice/rolebindings`, binding('alice', 'x-cm', roleRef('Role', 'cm-get'), [sa('bot')]))).status).toBe(201);

    // `bind` on the view ClusterRole and `escalate` on roles lift the checks.
    await ok('POST', `${rbacV1}/namespaces/alice/roles`, role('alice', 'delegation', [
      { verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['view'] },
      { verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'] },
    ]));
    await ok('POST', `${rbacV1}/namespaces/alice/rolebindings`, binding('alice', 'delegation', roleRef('Role', 'delegation'), [sa('delegate')]));
    expect((await as(token, 'POST', `${rbacV1}/namespaces/alice/rolebindings`, binding('alice', 'x-view', roleRef('ClusterRole', 'view'), [sa('bot')]))).status).toBe(201);
    expect((await as(token, 'POST', `${rbacV1}/namespaces/alice/roles`, role('alice', 'secret-get', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]))).status).toBe(201);
  });
});

describe('bootstrap policy', () => {
  type ClusterRole = { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; rules: { resources?: string[]; verbs: string[]; apiGroups?: string[] }[] };
  const rulesOf = async (name: string) => (await admin('GET', `${rbacV1}/clusterroles/${name}`)).json<ClusterRole>();
  const resourcesOf = (r: ClusterRole) => r.rules.flatMap((rule) => (rule.resources ?? []).map((res) => `${rule.apiGroups?.[0] ? `${rule.apiGroups[0]}/` : ''}${res}:${rule.verbs.join(',')}`));

  it('aggregates view into edit into admin, like Kubernetes', async () => {
    const view = resourcesOf(await rulesOf('view'));
    expect(view).toEqual(expect.arrayContaining(['pods:get,list,watch', 'configmaps:get,list,watch', 'pods/log:get,list,watch', 'apps/deployments:get,list,watch']));
    expect(view.some((r) => r.startsWith('secrets:'))).toBe(false);
    const edit = resourcesOf(await rulesOf('edit'));
    expect(edit).toEqual(expect.arrayContaining(['secrets:get,list,watch', 'serviceaccounts/token:create', 'pods:get,list,watch']));
    const adminRole = await rulesOf('admin');
    expect(resourcesOf(adminRole)).toEqual(expect.arrayContaining(['rbac.authorization.k8s.io/roles:create,delete,deletecollection,get,list,patch,update,watch', 'secrets:get,list,watch']));
    expect(adminRole.metadata).toMatchObject({ labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } });
  });

  it('follows ClusterRoles that gain or lose an aggregate-to label', async () => {
    await ok('POST', `${rbacV1}/clusterroles`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'kuscia-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ verbs: ['get'], apiGroups: ['kuscia.secretflow'], resources: ['kusciajobs'] }],
    });
    await eventually(async () => {
      expect(resourcesOf(await rulesOf('view'))).toContain('kuscia.secretflow/kusciajobs:get');
      expect(resourcesOf(await rulesOf('admin'))).toContain('kuscia.secretflow/kusciajobs:get');
    });
    const unlabel = await admin('PATCH', `${rbacV1}/clusterroles/kuscia-view`, { metadata: { labels: { 'rbac.authorization.k8s.io/aggregate-to-view': null } } }, 'application/merge-patch+json');
    expect(unlabel.status, unlabel.body).toBe(200);
    await eventually(async () => expect(resourcesOf(await rulesOf('admin'))).not.toContain('kuscia.secretflow/kusciajobs:get'));
  });
});

describe('reconciliation on restart', () => {
  it('restores bootstrap roles and bindings, but leaves autoupdate=false alone and changes nothing when all is in place', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kuscia-reconcile-'));
    try {
      let s = await startApiServer({ dataDir: dir, storage: 'sqlite', port: 0, logger: silent });
      const req = (method: string, path: string, body?: unknown) => rawRequest(s, method, path, body === undefined ? undefined : JSON.stringify(body), { 'Content-Type': 'application/merge-patch+json' });
      expect((await req('DELETE', `${rbacV1}/clusterrolebindings/system:discovery`)).status).toBe(200);
      expect((await req('PATCH', `${rbacV1}/clusterroles/system:basic-user`, { rules: [] })).status).toBe(200);
      expect((await req('PATCH', `${rbacV1}/clusterroles/system:public-info-viewer`, { metadata: { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] })).status).toBe(200);
      await s.stop();

      s = await startApiServer({ dataDir: dir, storage: 'sqlite', port: 0, logger: silent });
      const get = (path: string) => rawRequest(s, 'GET', path);
      expect((await get(`${rbacV1}/clusterrolebindings/system:discovery`)).status).toBe(200);
      expect((await get(`${rbacV1}/clusterroles/system:basic-user`)).json<{ rules: unknown[] }>().rules).toHaveLength(3);
      expect((await get(`${rbacV1}/clusterroles/system:public-info-viewer`)).json<{ rules: unknown[] }>().rules).toEqual([]);
      const versions = async () => (await get(`${rbacV1}/clusterroles`)).json<{ items: { metadata: { name: string; resourceVersion: string } }[] }>().items.map((i) => `${i.metadata.name}@${i.metadata.resourceVersion}`);
      const before = await versions();
      await s.stop();
      s = await startApiServer({ dataDir: dir, storage: 'sqlite', port: 0, logger: silent });
      expect(await versions()).toEqual(before);
      await s.stop();
    } finally {
      await removeDir(dir);
    }
  });
});
