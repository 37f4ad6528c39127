import { describe, expect, it } from 'vitest';
import { aggregatedRules } from './aggregation-controller.ts';
import { compactRules, compactString, covers } from './policy-covers.ts';
import type { IndexedRole } from './policy-index.ts';

describe('covers (escalation checks)', () => {
  it('needs every verb, group, resource and name of the wanted rules', () => {
    const owned = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'configmaps'] }];
    expect(covers(owned, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]).covered).toBe(true);
    expect(covers(owned, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }]).covered).toBe(true);
    const { covered, missing } = covers(owned, [{ verbs: ['get', 'delete'], apiGroups: ['', 'apps'], resources: ['pods'] }]);
    expect(covered).toBe(false);
    expect(missing).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
      { apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['pods'], verbs: ['delete'] },
    ]);
  });

  it('knows wildcards, */subresource, resourceNames and URL prefixes', () => {
    expect(covers([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['escalate'], apiGroups: ['x'], resources: ['y/z'] }]).covered).toBe(true);
    expect(covers([{ verbs: ['get'], apiGroups: [''], resources: ['*/status'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['pods/status'] }]).covered).toBe(true);
    expect(covers([{ verbs: ['get'], apiGroups: [''], resources: ['*/status'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]).covered).toBe(false);
    // A name-limited grant does not cover the whole collection.
    expect(covers([{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]).covered).toBe(false);
    expect(covers([{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/apis/apps'] }]).covered).toBe(true);
    expect(covers([{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]).covered).toBe(false);
  });

  it('compacts the missing pieces into the lines Kubernetes prints', () => {
    const { missing } = covers([], [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'] }, { verbs: ['get'], nonResourceURLs: ['/metrics'] }]);
    expect(compactRules(missing).map(compactString).sort()).toEqual(['{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}', '{NonResourceURLs:["/metrics"], Verbs:["get"]}']);
  });
});

describe('aggregatedRules', () => {
  const role = (name: string, labels: Record<string, string>, rules: IndexedRole['rules'], aggregationRule?: IndexedRole['aggregationRule']): IndexedRole => ({ name, namespace: '', labels, rules, aggregationRule });

  it('unions the rules of the roles the selectors match, by name, without duplicates or itself', () => {
    const get = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    const list = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
    const view = role('view', { 'agg-edit': 'true' }, [], { clusterRoleSelectors: [{ matchLabels: { 'agg-view': 'true' } }] });
    const all = [
      view,
      role('z-extra', { 'agg-view': 'true' }, [list, get]),
      role('a-base', { 'agg-view': 'true' }, [get]),
      role('unrelated', {}, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]),
    ];
    expect(aggregatedRules(view, all)).toEqual([get, list]);
    const edit = role('edit', { 'agg-view': 'true' }, [], { clusterRoleSelectors: [{ matchLabels: { 'agg-edit': 'true' } }, { matchExpressions: [{ key: 'agg-view', operator: 'Exists' }] }] });
    expect(aggregatedRules(edit, [...all, edit])).toEqual([get, list]);
  });
});
