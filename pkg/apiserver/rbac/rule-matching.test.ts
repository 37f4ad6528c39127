import { describe, expect, it } from 'vitest';
import type { UserInfo } from '../auth/user-info.ts';
import { attributesOf, type Attributes } from './request-attributes.ts';
import { ruleAllows } from './rule-matching.ts';
import type { PolicyRule } from './types.ts';
import { parseRequestInfo } from '../http/request-info.ts';

const user: UserInfo = { username: 'u', groups: [] };
const res = (verb: string, resource: string, extra: Partial<Attributes & { isResourceRequest: true }> = {}): Attributes => ({
  isResourceRequest: true,
  user,
  verb,
  apiGroup: '',
  apiVersion: 'v1',
  resource,
  subresource: '',
  namespace: 'ns',
  name: '',
  ...extra,
});
const path = (verb: string, p: string): Attributes => ({ isResourceRequest: false, user, verb, path: p });

describe('ruleAllows', () => {
  it('matches verbs, groups and resources exactly or by *', () => {
    const rule: PolicyRule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] };
    expect(ruleAllows(res('list', 'pods'), rule)).toBe(true);
    expect(ruleAllows(res('watch', 'pods'), rule)).toBe(false);
    expect(ruleAllows(res('list', 'pods', { apiGroup: 'apps' }), rule)).toBe(false);
    expect(ruleAllows(res('list', 'services'), rule)).toBe(false);
    expect(ruleAllows(res('delete', 'deployments', { apiGroup: 'apps' }), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).toBe(true);
  });

  it('treats subresources as resource/subresource, with */sub wildcards', () => {
    const pods: PolicyRule = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    expect(ruleAllows(res('get', 'pods', { subresource: 'log', name: 'p' }), pods)).toBe(false);
    expect(ruleAllows(res('get', 'pods', { subresource: 'log', name: 'p' }), { ...pods, resources: ['pods/log'] })).toBe(true);
    expect(ruleAllows(res('get', 'pods', { name: 'p' }), { ...pods, resources: ['pods/log'] })).toBe(false);
    const anyScale: PolicyRule = { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] };
    expect(ruleAllows(res('update', 'deployments', { apiGroup: 'apps', subresource: 'scale', name: 'd' }), anyScale)).toBe(true);
    expect(ruleAllows(res('update', 'deployments', { apiGroup: 'apps', subresource: 'status', name: 'd' }), anyScale)).toBe(false);
    expect(ruleAllows(res('update', 'deployments', { apiGroup: 'apps', name: 'd' }), anyScale)).toBe(false);
  });

  it('never matches a request without a name against a rule with resourceNames', () => {
    const rule: PolicyRule = { verbs: ['get', 'list', 'create', 'watch'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cm1'] };
    expect(ruleAllows(res('get', 'configmaps', { name: 'cm1' }), rule)).toBe(true);
    expect(ruleAllows(res('get', 'configmaps', { name: 'cm2' }), rule)).toBe(false);
    expect(ruleAllows(res('list', 'configmaps'), rule)).toBe(false);
    expect(ruleAllows(res('create', 'configmaps'), rule)).toBe(false);
  });

  it('matches nonResourceURLs exactly or by a trailing * prefix', () => {
    const rule: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    expect(ruleAllows(path('get', '/healthz'), rule)).toBe(true);
    expect(ruleAllows(path('get', '/healthz/etcd'), rule)).toBe(false);
    expect(ruleAllows(path('get', '/apis/apps/v1'), rule)).toBe(true);
    expect(ruleAllows(path('get', '/apis'), rule)).toBe(false);
    expect(ruleAllows(path('post', '/healthz'), rule)).toBe(false);
    expect(ruleAllows(path('get', '/metrics'), { verbs: ['*'], nonResourceURLs: ['*'] })).toBe(true);
    // A resource rule says nothing about paths, and a URL rule nothing about resources.
    expect(ruleAllows(path('get', '/api'), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).toBe(false);
    expect(ruleAllows(res('get', 'pods', { name: 'p' }), rule)).toBe(false);
  });
});

describe('attributesOf', () => {
  const attrs = (method: string, url: string) => {
    const u = new URL(url, 'https://x');
    return attributesOf(user, parseRequestInfo(method, u.pathname, u.searchParams), u.searchParams);
  };

  it('authorizes a list or watch pinned by metadata.name as a request for that name', () => {
    expect(attrs('GET', '/api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dp1')).toMatchObject({ verb: 'list', name: 'p1', namespace: 'a', resource: 'pods' });
    expect(attrs('GET', '/api/v1/namespaces/a/pods?watch=true&fieldSelector=metadata.name%3D%3Dp1')).toMatchObject({ verb: 'watch', name: 'p1' });
    expect(attrs('GET', '/api/v1/namespaces/a/pods?fieldSelector=metadata.name!%3Dp1')).toMatchObject({ verb: 'list', name: '' });
    expect(attrs('DELETE', '/api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dp1')).toMatchObject({ verb: 'deletecollection', name: '' });
  });

  it('describes subresources, namespaces and paths like kube-apiserver', () => {
    expect(attrs('GET', '/api/v1/namespaces/a/pods/p/log')).toMatchObject({ verb: 'get', resource: 'pods', subresource: 'log', name: 'p' });
    expect(attrs('GET', '/api/v1/namespaces/a')).toMatchObject({ resource: 'namespaces', namespace: 'a', name: 'a' });
    expect(attrs('GET', '/apis/apps/v1')).toEqual({ isResourceRequest: false, user, verb: 'get', path: '/apis/apps/v1' });
  });
});
