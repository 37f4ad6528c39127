import { describe, expect, it } from 'vitest';
import { Labels, type Domain } from '../../crd/index.ts';
import { namespaceLabelPatch, namespaceLabelsFor } from './namespace-labels.ts';

function domain(spec: Domain['spec']): Domain {
  return { metadata: { name: 'alice' }, spec };
}

describe('namespace labels', () => {
  it('labels a new namespace with the domain, its partner role and its first protocol', () => {
    expect(namespaceLabelsFor(domain({}))).toEqual({ [Labels.DomainName]: 'alice' });
    expect(namespaceLabelsFor(domain({ role: 'partner', interConnProtocols: ['bfia', 'kuscia'] }))).toEqual({
      [Labels.DomainName]: 'alice',
      [Labels.DomainRole]: 'partner',
      [Labels.InterConnProtocols]: 'bfia',
    });
  });

  it('adds missing labels to an existing namespace and keeps foreign ones', () => {
    expect(namespaceLabelPatch({ team: 'red' }, domain({ role: 'partner' }))).toEqual({ [Labels.DomainName]: 'alice', [Labels.DomainRole]: 'partner' });
  });

  it('removes the soft-delete mark and labels the spec no longer asks for', () => {
    const current = { [Labels.DomainName]: 'alice', [Labels.DomainRole]: 'partner', [Labels.InterConnProtocols]: 'kuscia', [Labels.DomainDeleted]: 'true', team: 'red' };
    expect(namespaceLabelPatch(current, domain({}))).toEqual({ [Labels.DomainRole]: null, [Labels.InterConnProtocols]: null, [Labels.DomainDeleted]: null });
  });

  it('asks for nothing when the labels already match', () => {
    expect(namespaceLabelPatch({ [Labels.DomainName]: 'alice', other: 'x' }, domain({}))).toBeUndefined();
  });
});
