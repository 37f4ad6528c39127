import { describe, expect, it } from 'vitest';
import type { Domain } from '../../crd/index.ts';
import type { ClusterRoleBinding, RoleBinding } from '../../kube/wire.ts';
import { domainClusterRoleBinding, domainRoleBinding } from './desired-objects.ts';

const alice: Domain = { apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'Domain', metadata: { name: 'alice', uid: 'uid-alice' }, spec: {} } as Domain;

/** What the API server hands back after storing our desired object: RBAC defaulting fills subjects[].apiGroup. */
function asStored<T extends RoleBinding | ClusterRoleBinding>(desired: T): T {
  return { ...desired, metadata: { ...desired.metadata, resourceVersion: '7' }, subjects: desired.subjects?.map((s) => ({ apiGroup: '', ...s })) };
}

describe('domain bindings', () => {
  // A binding that never compared equal to its stored self was PUT again on every reconcile:
  // ~800 no-op PUTs a second per domain.
  it('a stored RoleBinding with defaulted subjects needs no update', () => {
    const stored = asStored(domainRoleBinding.desired(alice));
    expect(domainRoleBinding.update(alice)(stored)).toBeUndefined();
  });

  it('a stored ClusterRoleBinding with defaulted subjects needs no update', () => {
    const stored = asStored(domainClusterRoleBinding.desired(alice));
    expect(domainClusterRoleBinding.update(alice)(stored)).toBeUndefined();
  });

  it('a binding whose subjects were changed is put back', () => {
    const stored = { ...asStored(domainRoleBinding.desired(alice)), subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory' }] };
    expect(domainRoleBinding.update(alice)(stored)?.subjects).toEqual([{ kind: 'ServiceAccount', apiGroup: '', name: 'alice', namespace: 'alice' }]);
  });
});
