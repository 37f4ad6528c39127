import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from '../http/request-info.ts';
import { dryRunLabel, isMutatingMethod, nonResourceEndpoint, requestLabels } from './request-labels.ts';

/** The labels kube-apiserver would report for `method path` (with an optional Content-Type). */
function labelsOf(method: string, pathAndQuery: string, contentType?: string) {
  const url = new URL(pathAndQuery, 'https://localhost');
  const info = parseRequestInfo(method, url.pathname, url.searchParams);
  return requestLabels(info, { method, contentType, search: url.search, query: url.searchParams });
}

describe('request metric labels', () => {
  it('reports verbs in upper case the way kube-apiserver does', () => {
    expect(labelsOf('GET', '/api/v1/namespaces/a/pods/p').verb).toBe('GET');
    expect(labelsOf('HEAD', '/api/v1/namespaces/a/pods/p').verb).toBe('GET');
    expect(labelsOf('GET', '/api/v1/namespaces/a/pods').verb).toBe('LIST');
    expect(labelsOf('GET', '/api/v1/pods?watch=true').verb).toBe('WATCH');
    expect(labelsOf('GET', '/api/v1/watch/namespaces/a/pods').verb).toBe('WATCH');
    expect(labelsOf('POST', '/api/v1/namespaces/a/pods').verb).toBe('POST');
    expect(labelsOf('PUT', '/api/v1/namespaces/a/pods/p').verb).toBe('PUT');
    expect(labelsOf('PATCH', '/api/v1/namespaces/a/pods/p', 'application/merge-patch+json').verb).toBe('PATCH');
    expect(labelsOf('PATCH', '/api/v1/namespaces/a/pods/p', 'application/apply-patch+yaml').verb).toBe('APPLY');
    expect(labelsOf('DELETE', '/api/v1/namespaces/a/pods/p').verb).toBe('DELETE');
    expect(labelsOf('DELETE', '/api/v1/namespaces/a/pods').verb).toBe('DELETECOLLECTION');
    expect(labelsOf('GET', '/api/v1/namespaces/a/pods/p/log').verb).toBe('CONNECT');
  });

  it('scope: resource for a named object or a create, namespace, cluster (CleanScope)', () => {
    expect(labelsOf('GET', '/api/v1/namespaces/a/pods/p').scope).toBe('resource');
    expect(labelsOf('POST', '/api/v1/namespaces/a/pods').scope).toBe('resource');
    expect(labelsOf('GET', '/api/v1/namespaces/a/pods').scope).toBe('namespace');
    expect(labelsOf('GET', '/api/v1/pods').scope).toBe('cluster');
    expect(labelsOf('GET', '/api/v1/namespaces').scope).toBe('cluster');
    expect(labelsOf('GET', '/api/v1/namespaces/a').scope).toBe('resource');
  });

  it('carries group, version, resource and subresource; core has an empty group', () => {
    expect(labelsOf('PUT', '/apis/apps/v1/namespaces/a/deployments/d/status')).toEqual({
      verb: 'PUT',
      dry_run: '',
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      subresource: 'status',
      scope: 'resource',
      component: 'apiserver',
    });
    expect(labelsOf('GET', '/api/v1/namespaces/a/configmaps')).toMatchObject({ group: '', version: 'v1', resource: 'configmaps', subresource: '' });
  });

  it('dry_run is "All", "invalid" or empty (cleanDryRun)', () => {
    expect(labelsOf('POST', '/api/v1/namespaces/a/pods?dryRun=All').dry_run).toBe('All');
    expect(labelsOf('POST', '/api/v1/namespaces/a/pods?dryRun=All&dryRun=All').dry_run).toBe('All');
    expect(labelsOf('POST', '/api/v1/namespaces/a/pods?dryRun=Some').dry_run).toBe('invalid');
    expect(labelsOf('POST', '/api/v1/namespaces/a/pods').dry_run).toBe('');
    expect(dryRunLabel('?x=dryRun', new URLSearchParams('x=dryRun'))).toBe('');
  });

  it('non-resource requests: no group/version/resource, the endpoint as subresource, bounded', () => {
    expect(labelsOf('GET', '/healthz')).toEqual({ verb: 'GET', dry_run: '', group: '', version: '', resource: '', subresource: '/healthz', scope: '', component: '' });
    expect(labelsOf('GET', '/readyz/ping')).toMatchObject({ subresource: '/readyz', component: '' });
    expect(labelsOf('GET', '/metrics')).toMatchObject({ subresource: '/metrics', component: 'apiserver', scope: '' });
    expect(labelsOf('GET', '/openapi/v3/apis/apps/v1')).toMatchObject({ subresource: '/openapi/v3' });
    expect(labelsOf('GET', '/apis/apps')).toMatchObject({ subresource: '/apis', resource: '' });
    expect(labelsOf('GET', '/no/such/thing/here/at/all')).toMatchObject({ subresource: '', verb: 'GET' });
    expect(labelsOf('OPTIONS', '/version').verb).toBe('other');
    expect(nonResourceEndpoint('/openapi/v9')).toBe('');
  });

  it('without a parsed request (the path failed to parse) the labels are the empty non-resource ones', () => {
    const url = new URL('https://localhost/%E0');
    expect(requestLabels(undefined, { method: 'GET', contentType: undefined, search: url.search, query: url.searchParams })).toMatchObject({ verb: 'GET', resource: '', subresource: '' });
  });

  it('GET/HEAD/OPTIONS are read-only in-flight requests, everything else mutating', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].map(isMutatingMethod)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isMutatingMethod)).toEqual([true, true, true, true]);
  });
});
