import { describe, expect, it } from 'vitest';
import { buildApiGroup, buildApiGroupList, buildApiResourceList, buildApiVersions } from './legacy-documents.ts';
import { buildAggregatedDiscovery } from './aggregated-documents.ts';
import { negotiateDiscovery } from './negotiate.ts';
import { discoveryRootResponse } from './respond.ts';
import { compareKubeAwareVersions } from './version-priority.ts';
import { storageVersionHash } from './storage-version-hash.ts';
import { allTestTypes, deploymentType, kusciaJobType } from './test-fixtures.ts';

const KUBECTL_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('legacy discovery', () => {
  it('/api lists v1 and the advertised address', () => {
    expect(buildApiVersions('10.0.0.1:6443')).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
    });
  });

  it('/api/v1 lists pods with subresources the way kube-apiserver does', () => {
    const list = buildApiResourceList(allTestTypes, '', 'v1')!;
    expect(list).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    expect(list).not.toHaveProperty('apiVersion');
    expect(list.resources.map((r) => r.name)).toEqual([
      'namespaces', 'namespaces/finalize', 'namespaces/status', 'pods', 'pods/binding', 'pods/log', 'pods/status',
    ]);
    const byName = Object.fromEntries(list.resources.map((r) => [r.name, r]));
    expect(byName.pods).toEqual({
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
      storageVersionHash: 'xPOwRZ+Yhw8=', // the value a real cluster reports for Pod
    });
    expect(byName['pods/status']).toEqual({ name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect(byName['pods/binding']).toEqual({ name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
    expect(byName['namespaces/finalize']).toMatchObject({ namespaced: false, kind: 'Namespace', verbs: ['update'] });
  });

  it('/apis/apps/v1 reports deployments/scale as autoscaling/v1 Scale', () => {
    const list = buildApiResourceList(allTestTypes, 'apps', 'v1')!;
    expect(list).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1' });
    const scale = list.resources.find((r) => r.name === 'deployments/scale');
    expect(scale).toEqual({
      name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'],
    });
    expect(list.resources.find((r) => r.name === 'deployments')?.storageVersionHash).toBe(storageVersionHash('apps', 'v1', 'Deployment'));
  });

  it('serves a CRD group like the apiextensions discovery controller', () => {
    const list = buildApiResourceList(allTestTypes, 'kuscia.secretflow', 'v1alpha1')!;
    expect(list.groupVersion).toBe('kuscia.secretflow/v1alpha1');
    const job = list.resources.find((r) => r.name === 'kusciajobs')!;
    expect(job).toMatchObject({ singularName: 'kusciajob', namespaced: true, kind: 'KusciaJob', shortNames: ['kj'], categories: ['kuscia'] });
    expect(list.resources.find((r) => r.name === 'domains')).toMatchObject({ namespaced: false, kind: 'Domain' });
    expect(list.resources.find((r) => r.name === 'kusciajobs/status')).toMatchObject({ kind: 'KusciaJob', verbs: ['get', 'patch', 'update'] });
    expect(buildApiGroup(allTestTypes, 'kuscia.secretflow')).toEqual({
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'kuscia.secretflow',
      versions: [{ groupVersion: 'kuscia.secretflow/v1alpha1', version: 'v1alpha1' }],
      preferredVersion: { groupVersion: 'kuscia.secretflow/v1alpha1', version: 'v1alpha1' },
    });
  });

  it('answers undefined (404) for groups and versions that are not served', () => {
    expect(buildApiGroup(allTestTypes, 'batch')).toBeUndefined();
    expect(buildApiResourceList(allTestTypes, 'apps', 'v1beta1')).toBeUndefined();
    expect(buildApiResourceList(allTestTypes, '', 'v2')).toBeUndefined();
  });

  it('/apis puts built-in groups before CRD groups and prefers the most stable version', () => {
    const extra = [
      { ...deploymentType, group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job' },
      { ...kusciaJobType, group: 'a.example', version: 'v1beta1' },
      { ...kusciaJobType, group: 'a.example', version: 'v1' },
      { ...kusciaJobType, group: 'a.example', version: 'v2alpha1' },
    ];
    const list = buildApiGroupList([...allTestTypes, ...extra]);
    expect(list.groups.map((g) => g.name)).toEqual(['apps', 'batch', 'a.example', 'kuscia.secretflow']);
    const example = list.groups.find((g) => g.name === 'a.example')!;
    expect(example.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1', 'v2alpha1']);
    expect(example.preferredVersion).toEqual({ groupVersion: 'a.example/v1', version: 'v1' });
  });

  it('orders versions kube-aware', () => {
    const versions = ['foo10', 'v1', 'v3beta1', 'v11alpha2', 'v10', 'foo1', 'v12alpha1', 'v2', 'v10beta3', 'v11beta2'];
    expect(versions.sort(compareKubeAwareVersions)).toEqual(['v10', 'v2', 'v1', 'v11beta2', 'v10beta3', 'v3beta1', 'v12alpha1', 'v11alpha2', 'foo1', 'foo10']);
  });
});

describe('aggregated discovery', () => {
  it('/api holds only the unnamed core group', () => {
    const doc = buildAggregatedDiscovery(allTestTypes, 'core');
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    expect(doc.apiVersion).toBe('apidiscovery.k8s.io/v2');
    expect(doc.items).toHaveLength(1);
    expect(doc.items[0].metadata).toEqual({ creationTimestamp: null });
    const pods = doc.items[0].versions[0].resources.find((r) => r.resource === 'pods')!;
    expect(pods).toMatchObject({ scope: 'Namespaced', singularResource: 'pod', responseKind: { group: '', version: 'v1', kind: 'Pod' }, shortNames: ['po'] });
    expect(pods.subresources).toEqual([
      { subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
      { subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
      { subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('/apis holds every other group in discovery order, with cluster scope where it applies', () => {
    const doc = buildAggregatedDiscovery(allTestTypes, 'groups', 'v2beta1');
    expect(doc.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    expect(doc.items.map((g) => g.metadata.name)).toEqual(['apps', 'kuscia.secretflow']);
    const kuscia = doc.items[1].versions[0];
    expect(kuscia).toMatchObject({ version: 'v1alpha1', freshness: 'Current' });
    expect(kuscia.resources.find((r) => r.resource === 'domains')?.scope).toBe('Cluster');
    const scale = doc.items[0].versions[0].resources[0].subresources?.find((s) => s.subresource === 'scale');
    expect(scale?.responseKind).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });
});

describe('negotiateDiscovery', () => {
  it('picks aggregated v2 for kubectl and legacy JSON for plain clients', () => {
    expect(negotiateDiscovery(KUBECTL_ACCEPT)).toEqual({
      form: 'aggregated',
      version: 'v2',
      contentType: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    });
    expect(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json')).toMatchObject({ form: 'aggregated', version: 'v2beta1' });
    expect(negotiateDiscovery('application/json')).toEqual({ form: 'legacy', contentType: 'application/json' });
    expect(negotiateDiscovery(undefined)).toMatchObject({ form: 'legacy' });
    expect(negotiateDiscovery('*/*')).toMatchObject({ form: 'legacy' });
    expect(negotiateDiscovery('application/vnd.kubernetes.protobuf, application/json')).toMatchObject({ form: 'legacy' });
  });

  it('honours q-values and refuses what it cannot produce', () => {
    expect(negotiateDiscovery('application/json;q=0.5, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).toMatchObject({ form: 'aggregated' });
    expect(negotiateDiscovery('application/yaml')).toEqual({ form: 'not-acceptable' });
    expect(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList')).toEqual({ form: 'not-acceptable' });
  });
});

describe('discoveryRootResponse', () => {
  it('returns an ETag and 304 on revalidation, varying on Accept', () => {
    const first = discoveryRootResponse(allTestTypes, 'apis', { accept: KUBECTL_ACCEPT }, '127.0.0.1:6443');
    expect(first.status).toBe(200);
    expect(first.headers['Content-Type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(first.headers.Vary).toBe('Accept');
    expect(JSON.parse(first.body as string).kind).toBe('APIGroupDiscoveryList');
    const again = discoveryRootResponse(allTestTypes, 'apis', { accept: KUBECTL_ACCEPT, ifNoneMatch: first.headers.ETag }, '127.0.0.1:6443');
    expect(again.status).toBe(304);
    const legacy = discoveryRootResponse(allTestTypes, 'api', { accept: 'application/json' }, '127.0.0.1:6443');
    expect(JSON.parse(legacy.body as string).kind).toBe('APIVersions');
    expect(legacy.headers.ETag).not.toBe(first.headers.ETag);
    expect(discoveryRootResponse(allTestTypes, 'api', { accept: 'text/html' }, 'x').status).toBe(406);
  });
});
