/**
 * The Domain controller on the embedded API server: what a Kuscia operator sees after applying a
 * Domain — its namespace and labels, RBAC that really lets the domain's ServiceAccount act, the
 * domain-config and quota objects, soft delete (also when the controller was down), refused names
 * with a Warning event, node statuses and the lite deploy token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDomainController } from '../../../pkg/controllers/domain/index.ts';
import type { ControllerContext } from '../../../pkg/controllers/common/controller-context.ts';
import { Labels, type Domain } from '../../../pkg/crd/index.ts';
import { isNotFound } from '../../../pkg/kube/api-errors.ts';
import { requestJson } from '../../../pkg/kube/client.ts';
import type { ObjectList } from '../../../pkg/kube/wire.ts';
import { startControllerTestEnv, type ControllerTestEnv } from '../../support/controller-env.ts';
import { eventually } from '../../support/eventually.ts';

const STATUS_SYNC_MS = 150;

let env: ControllerTestEnv;
let stopController: () => Promise<void>;

async function startDomainController(): Promise<void> {
  const ctx: ControllerContext = env.context();
  stopController = await env.startControllers(ctx, [newDomainController(ctx, { statusSyncIntervalMs: STATUS_SYNC_MS })]);
}

beforeAll(async () => {
  env = await startControllerTestEnv();
  await startDomainController();
});

afterAll(async () => {
  await env?.stop();
});

const createDomain = (name: string, spec: Domain['spec'] = {}) => env.clients.domains.create({ apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'Domain', metadata: { name }, spec });
const getDomain = (name: string) => env.clients.domains.get('', name);
const getNamespace = (name: string) => env.clients.namespaces.get('', name);

/** Removes the metadata.name restriction from the Domain CRD (as Kuscia's upstream CRD has none). */
async function relaxDomainNameRule(): Promise<void> {
  const path = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/domains.kuscia.secretflow';
  const crd = (await requestJson(env.kubeConfig, 'GET', path)) as { spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: { metadata: Record<string, unknown> } } } }> } };
  crd.spec.versions[0]!.schema.openAPIV3Schema.properties.metadata = { type: 'object' };
  await requestJson(env.kubeConfig, 'PUT', path, { body: crd });
  await eventually(async () => {
    const probe = await createDomain('kube-public').then(
      () => true,
      () => false,
    );
    expect(probe).toBe(true);
  });
  await env.clients.domains.delete('', 'kube-public');
}

async function absent(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

/** Asks the API server's authorizer what the domain's ServiceAccount may do. */
async function serviceAccountCan(domain: string, verb: string, resource: string, namespace?: string): Promise<boolean> {
  const review = await env.clients.api.request<{ status: { allowed: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: `system:serviceaccount:${domain}:${domain}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${domain}`, 'system:authenticated'],
        resourceAttributes: { verb, resource, namespace, group: resource === 'kusciajobs' ? 'kuscia.secretflow' : '' },
      },
    },
  });
  return review.status.allowed;
}

interface Event {
  metadata: { name: string };
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string; uid?: string };
}

async function domainEvents(name: string): Promise<Event[]> {
  const list = await env.clients.api.request<ObjectList<Event>>('GET', '/api/v1/namespaces/default/events');
  return list.items.filter((e) => e.involvedObject.kind === 'Domain' && e.involvedObject.name === name);
}

describe('Domain controller', () => {
  it('gives an own domain its namespace, role, domain-config, quota and auth', async () => {
    const created = await createDomain('alice', { interConnProtocols: ['kuscia'], resourceQuota: { podMaxCount: 10 } });

    await eventually(async () => {
      const ns = await getNamespace('alice');
      expect(ns.metadata?.labels).toMatchObject({ [Labels.DomainName]: 'alice', [Labels.InterConnProtocols]: 'kuscia' });
      expect(ns.metadata?.labels).not.toHaveProperty(Labels.DomainRole);
      expect((await getDomain('alice')).metadata.labels?.[Labels.DomainAuth]).toBe('completed');
    });

    const role = await env.clients.roles.get('alice', 'alice');
    expect(role.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'Domain', name: 'alice', uid: created.metadata.uid, controller: true })]);
    expect(role.rules).toContainEqual({ apiGroups: ['kuscia.secretflow'], resources: ['*'], verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch', 'update'] });

    const config = await env.clients.configMaps.get('alice', 'domain-config');
    expect(config.data ?? {}).toEqual({});
    const quota = await env.clients.resourceQuotas.get('alice', 'resource-limitation');
    expect(quota.spec?.hard).toEqual({ pods: '10' });

    // The bindings work: the domain's ServiceAccount may run pods and jobs in its namespace,
    // register Nodes (it is our own lite), but not touch another namespace.
    expect(await serviceAccountCan('alice', 'create', 'pods', 'alice')).toBe(true);
    expect(await serviceAccountCan('alice', 'create', 'kusciajobs', 'alice')).toBe(true);
    expect(await serviceAccountCan('alice', 'create', 'nodes')).toBe(true);
    expect(await serviceAccountCan('alice', 'create', 'pods', 'cross-domain')).toBe(false);
    expect(await serviceAccountCan('alice', 'delete', 'secrets', 'alice')).toBe(false);
    expect((await getDomain('alice')).spec.master).toBeUndefined();
  });

  it('updates the quota when podMaxCount changes and removes it when unset', async () => {
    await env.clients.domains.patch('', 'alice', { spec: { resourceQuota: { podMaxCount: 3 } } });
    await eventually(async () => expect((await env.clients.resourceQuotas.get('alice', 'resource-limitation')).spec?.hard).toEqual({ pods: '3' }));

    await env.clients.domains.patch('', 'alice', { spec: { resourceQuota: null } });
    await eventually(async () => expect(await absent(() => env.clients.resourceQuotas.get('alice', 'resource-limitation'))).toBe(true));

    await env.clients.domains.patch('', 'alice', { spec: { resourceQuota: { podMaxCount: 0 } } });
    await eventually(async () => expect((await env.clients.resourceQuotas.get('alice', 'resource-limitation')).spec?.hard).toEqual({ pods: '0' }));
  });

  it('puts back what someone deleted', async () => {
    await env.clients.roles.delete('alice', 'alice');
    await env.clients.configMaps.delete('alice', 'domain-config');
    await eventually(async () => {
      expect((await env.clients.roles.get('alice', 'alice')).rules?.length).toBeGreaterThan(0);
      expect(await absent(() => env.clients.configMaps.get('alice', 'domain-config'))).toBe(false);
    });
  });

  it('gives a partner the role label, no domain-config or quota, and defaults its master to itself', async () => {
    await createDomain('bob', { role: 'partner', interConnProtocols: ['kuscia'], resourceQuota: { podMaxCount: 5 } });
    await eventually(async () => {
      const bob = await getDomain('bob');
      expect(bob.metadata.labels?.[Labels.DomainAuth]).toBe('completed');
      expect(bob.spec.master).toBe('bob');
    });
    expect((await getNamespace('bob')).metadata?.labels).toMatchObject({ [Labels.DomainName]: 'bob', [Labels.DomainRole]: 'partner', [Labels.InterConnProtocols]: 'kuscia' });
    await env.clients.roles.get('bob', 'bob');
    expect(await absent(() => env.clients.configMaps.get('bob', 'domain-config'))).toBe(true);
    expect(await absent(() => env.clients.resourceQuotas.get('bob', 'resource-limitation'))).toBe(true);
    // A P2P peer calls our API in its namespace only: no cluster-wide Node rights.
    expect(await serviceAccountCan('bob', 'list', 'pods', 'bob')).toBe(true);
    expect(await serviceAccountCan('bob', 'create', 'nodes')).toBe(false);
    // Partners have no local nodes or deploy tokens.
    expect((await getDomain('bob')).status?.deployTokenStatuses).toBeUndefined();
  });

  it('adopts an existing namespace without removing its own labels', async () => {
    await env.clients.namespaces.create({ metadata: { name: 'dave', labels: { team: 'red' } } });
    await createDomain('dave');
    await eventually(async () => expect((await getNamespace('dave')).metadata?.labels).toMatchObject({ team: 'red', [Labels.DomainName]: 'dave' }));
  });

  it('keeps the namespace of a deleted domain, labelled deleted, and unlabels it when the domain returns', async () => {
    await env.clients.configMaps.patch('alice', 'domain-config', { data: { 'kuscia.key': 'value' } });
    await env.clients.domains.delete('', 'alice');
    await eventually(async () => expect((await getNamespace('alice')).metadata?.labels?.[Labels.DomainDeleted]).toBe('true'));
    const ns = await getNamespace('alice');
    expect(ns.metadata?.deletionTimestamp).toBeUndefined();
    expect(ns.status?.phase).toBe('Active');

    const again = await createDomain('alice', { resourceQuota: { podMaxCount: 10 } });
    await eventually(async () => {
      expect((await getNamespace('alice')).metadata?.labels).not.toHaveProperty(Labels.DomainDeleted);
      // The role now belongs to the new Domain, so the garbage collector keeps it.
      expect((await env.clients.roles.get('alice', 'alice')).metadata?.ownerReferences?.[0]?.uid).toBe(again.metadata.uid);
      expect((await env.clients.roleBindings.get('alice', 'alice')).metadata?.ownerReferences?.[0]?.uid).toBe(again.metadata.uid);
    });
    // The ConfManager's data survived.
    expect((await env.clients.configMaps.get('alice', 'domain-config')).data).toEqual({ 'kuscia.key': 'value' });
  });

  it('labels the namespace of a domain deleted while the controller was down once it starts', async () => {
    await createDomain('carol');
    await eventually(async () => expect((await getNamespace('carol')).metadata?.labels?.[Labels.DomainName]).toBe('carol'));

    await stopController();
    await env.clients.domains.delete('', 'carol');
    await new Promise((r) => setTimeout(r, 300));
    expect((await getNamespace('carol')).metadata?.labels).not.toHaveProperty(Labels.DomainDeleted);

    await startDomainController();
    await eventually(async () => expect((await getNamespace('carol')).metadata?.labels?.[Labels.DomainDeleted]).toBe('true'));
  });

  it('refuses reserved and non-RFC 1123 domain IDs at the API: the Domain CRD restricts metadata.name', async () => {
    for (const name of ['master', 'cross-domain', 'alice.example']) {
      const err = await createDomain(name).then(
        () => undefined,
        (e: unknown) => e as { code: number; body: string },
      );
      expect(err?.code, name).toBe(422);
      expect(err?.body).toContain('metadata.name');
    }
  });

  it('refuses reserved and non-RFC 1123 names with a Warning event, creating nothing (a CRD without the name rule)', async () => {
    // Kuscia's own CRD has no name rule; against such a CRD the controller is the guard.
    await relaxDomainNameRule();
    const master = await createDomain('master');
    await createDomain('default');
    await createDomain('alice.example');

    await eventually(async () => {
      const [event] = await domainEvents('master');
      expect(event).toMatchObject({ type: 'Warning', reason: 'InvalidDomainName', involvedObject: { uid: master.metadata.uid } });
      expect(event?.message).toContain('domain name "master" is reserved');
      expect((await domainEvents('default'))[0]?.reason).toBe('InvalidDomainName');
      expect((await domainEvents('alice.example'))[0]?.message).toContain('is not a valid RFC 1123 label: must not contain dots');
    });

    // Reconciled again (a label change): still one event, still nothing created.
    await env.clients.domains.patch('', 'master', { metadata: { labels: { touched: 'yes' } } });
    await new Promise((r) => setTimeout(r, 4 * STATUS_SYNC_MS));
    expect(await domainEvents('master')).toHaveLength(1);
    expect(await absent(() => getNamespace('master'))).toBe(true);
    expect(await absent(() => env.clients.clusterRoleBindings.get('', 'master'))).toBe(true);
    expect((await getNamespace('default')).metadata?.labels).not.toHaveProperty(Labels.DomainName);
    expect(await absent(() => env.clients.roles.get('default', 'default'))).toBe(true);
    expect((await getDomain('master')).metadata.labels).not.toHaveProperty(Labels.DomainAuth);
    expect((await getDomain('master')).status).toBeUndefined();
  });

  it("follows the Ready condition of the domain's nodes in status.nodeStatuses", async () => {
    await env.clients.nodes.create({ metadata: { name: 'alice-node-1', labels: { [Labels.NodeNamespace]: 'alice' } } });
    const setReady = (ready: 'True' | 'False', at: string) =>
      env.clients.nodes.patch(
        '',
        'alice-node-1',
        {
          status: {
            nodeInfo: { kubeletVersion: 'v1.33.5+kuscia', kubeProxyVersion: '', architecture: 'amd64', bootID: '', containerRuntimeVersion: '', kernelVersion: '', machineID: '', operatingSystem: 'linux', osImage: '', systemUUID: '' },
            conditions: [{ type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: at, lastTransitionTime: at }],
          },
        },
        { subresource: 'status' },
      );
    await setReady('True', '2025-01-01T00:00:00Z');
    await eventually(async () =>
      expect((await getDomain('alice')).status?.nodeStatuses).toEqual([
        { name: 'alice-node-1', version: 'v1.33.5+kuscia', status: 'Ready', lastHeartbeatTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' },
      ]),
    );

    await setReady('False', '2025-01-01T00:01:00Z');
    await eventually(async () => expect((await getDomain('alice')).status?.nodeStatuses?.[0]).toMatchObject({ status: 'NotReady', lastTransitionTime: '2025-01-01T00:01:00Z' }));

    await env.clients.nodes.delete('', 'alice-node-1');
    await eventually(async () => expect((await getDomain('alice')).status).not.toHaveProperty('nodeStatuses'));
  });

  it('keeps one unused deploy token, stable across reconciles, and mints a new one once it is used', async () => {
    await eventually(async () => expect((await getDomain('alice')).status?.deployTokenStatuses).toHaveLength(1));
    const [first] = (await getDomain('alice')).status!.deployTokenStatuses!;
    expect(first).toMatchObject({ state: 'unused', token: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // Several status syncs later the token has not changed (and nothing was rewritten).
    const before = (await getDomain('alice')).metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, 5 * STATUS_SYNC_MS));
    const later = await getDomain('alice');
    expect(later.status?.deployTokenStatuses).toEqual([first]);
    expect(later.metadata.resourceVersion).toBe(before);

    // The master marks it used when a lite registers with it.
    await env.clients.domains.patch('', 'alice', { status: { deployTokenStatuses: [{ ...first, state: 'used', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } }, { subresource: 'status' });
    await eventually(async () => {
      const tokens = (await getDomain('alice')).status?.deployTokenStatuses ?? [];
      expect(tokens.map((t) => t.state).sort()).toEqual(['unused', 'used']);
      expect(tokens.find((t) => t.state === 'used')?.token).toBe(first!.token);
      expect(tokens.find((t) => t.state === 'unused')?.token).not.toBe(first!.token);
    });
  });
});
