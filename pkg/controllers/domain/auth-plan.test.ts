import { describe, expect, it } from 'vitest';
import type { Domain } from '../../crd/index.ts';
import { authPlanFor } from './auth-plan.ts';

const d = (spec: Domain['spec']): Domain => ({ metadata: { name: 'bob' }, spec });

describe('authPlanFor', () => {
  it('gives our own lites namespace and cluster access', () => {
    expect(authPlanFor(d({}))).toEqual({ namespaceAccess: true, clusterAccess: true });
    expect(authPlanFor(d({ interConnProtocols: ['kuscia'] }))).toEqual({ namespaceAccess: true, clusterAccess: true });
  });

  it('gives a P2P kuscia partner (its own master) namespace access only', () => {
    expect(authPlanFor(d({ role: 'partner', interConnProtocols: ['kuscia'] }))).toEqual({ namespaceAccess: true, clusterAccess: false });
    expect(authPlanFor(d({ role: 'partner', interConnProtocols: ['kuscia'], master: 'bob' }))).toEqual({ namespaceAccess: true, clusterAccess: false });
  });

  it('gives a lite of another master nothing', () => {
    expect(authPlanFor(d({ role: 'partner', interConnProtocols: ['kuscia'], master: 'carol' }))).toEqual({ namespaceAccess: false, clusterAccess: false });
  });

  it('treats partners on other protocols (or none) like Kuscia does: as the last case', () => {
    expect(authPlanFor(d({ role: 'partner', interConnProtocols: ['bfia'] }))).toEqual({ namespaceAccess: true, clusterAccess: true });
    expect(authPlanFor(d({ role: 'partner' }))).toEqual({ namespaceAccess: true, clusterAccess: true });
  });
});
