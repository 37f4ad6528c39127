import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/object.ts';
import { builtinResourceTypes } from './resource-types.ts';

describe('builtinResourceTypes', () => {
  const types = builtinResourceTypes();
  const byKey = new Map(types.map((rt) => [`${rt.group}/${rt.resource}`, rt]));

  it('serve every built-in resource once', () => {
    expect([...byKey.keys()].sort()).toEqual([
      '/configmaps', '/endpoints', '/events', '/namespaces', '/nodes', '/pods', '/resourcequotas', '/secrets', '/serviceaccounts', '/services',
      'apiextensions.k8s.io/customresourcedefinitions', 'apps/deployments', 'authentication.k8s.io/selfsubjectreviews',
      'authorization.k8s.io/localsubjectaccessreviews', 'authorization.k8s.io/selfsubjectaccessreviews', 'authorization.k8s.io/selfsubjectrulesreviews',
      'authorization.k8s.io/subjectaccessreviews', 'coordination.k8s.io/leases', 'events.k8s.io/events',
      'rbac.authorization.k8s.io/clusterrolebindings', 'rbac.authorization.k8s.io/clusterroles', 'rbac.authorization.k8s.io/rolebindings', 'rbac.authorization.k8s.io/roles',
    ]);
  });

  it('report discovery facts like kube-apiserver', () => {
    const pods = byKey.get('/pods')!;
    expect(pods).toMatchObject({ singular: 'pod', kind: 'Pod', listKind: 'PodList', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['binding', 'log', 'status'] });
    expect(pods.verbs).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    expect(types.filter((rt) => rt.categories.includes('all')).map((rt) => rt.resource).sort()).toEqual(['deployments', 'pods', 'services']);
    expect(byKey.get('/namespaces')).toMatchObject({ namespaced: false, shortNames: ['ns'] });
    expect(byKey.get('/namespaces')!.verbs).not.toContain('deletecollection');
    expect(byKey.get('/endpoints')!.singular).toBe('endpoints');
    expect(byKey.get('apiextensions.k8s.io/customresourcedefinitions')!.shortNames).toEqual(['crd', 'crds']);
    expect(byKey.get('/resourcequotas')!.shortNames).toEqual(['quota']);
    expect(byKey.get('events.k8s.io/events')).toMatchObject({ storageGroup: '', storageResource: 'events' });
    expect(byKey.get('/serviceaccounts')!.subresources).toEqual(['token']);
    expect(byKey.get('authorization.k8s.io/selfsubjectaccessreviews')).toMatchObject({ namespaced: false, verbs: ['create'], kind: 'SelfSubjectAccessReview' });
    expect(byKey.get('authorization.k8s.io/localsubjectaccessreviews')).toMatchObject({ namespaced: true, verbs: ['create'] });
    for (const rt of types) expect(rt).toMatchObject({ version: 'v1', strategicMergePatch: true, prunesUnknownFields: false });
  });

  it('carry resolved schemas and field selectors', () => {
    const pods = byKey.get('/pods')!;
    expect(pods.schema.properties!.spec.properties!.containers['x-kubernetes-patch-merge-key']).toBe('name');
    const pod: KubeObject = { metadata: { name: 'p' }, spec: { nodeName: 'n1' }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }] } };
    expect(pods.fieldSelectors['spec.nodeName'](pod)).toBe('n1');
    expect(pods.fieldSelectors['status.podIP'](pod)).toBe('10.0.0.1');
    expect(pods.fieldSelectors['spec.hostNetwork'](pod)).toBe('false');
    const events = byKey.get('/events')!;
    expect(events.fieldSelectors['involvedObject.name']({ metadata: {}, involvedObject: { name: 'p' } })).toBe('p');
    expect(byKey.get('/secrets')!.fieldSelectors.type({ metadata: {}, type: 'Opaque' })).toBe('Opaque');
  });
});
