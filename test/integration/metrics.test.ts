import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, type Exposition } from '../../pkg/apiserver/metrics/test-support.ts';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { removeDir } from '../support/apiserver-process.ts';
import { eventually } from '../support/eventually.ts';
import { rawRequest } from '../support/raw-client.ts';
import { rawWatch } from '../support/raw-watch.ts';

/** /metrics of the in-process server, as Prometheus would scrape it. */
let server: RunningApiServer;
let dataDir: string;
const json = { 'Content-Type': 'application/json' };

async function scrape(): Promise<Exposition> {
  const res = await rawRequest(server, 'GET', '/metrics');
  expect(res.status, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(res.body);
}

const requests = (x: Exposition, labels: Record<string, string>) => x.sum('apiserver_request_total', labels);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kuscia-metrics-'));
  server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: pino({ level: 'warn' }) });
  expect((await rawRequest(server, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'metrics' } }), json)).status).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  await removeDir(dataDir);
});

describe('/metrics', () => {
  it('counts a known sequence of requests by verb, resource and code', async () => {
    const cms = '/api/v1/namespaces/metrics/configmaps';
    const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });
    const before = await scrape();
    const statuses = [
      (await rawRequest(server, 'POST', cms, cm('a'), json)).status,
      (await rawRequest(server, 'POST', cms, cm('b'), json)).status,
      (await rawRequest(server, 'POST', cms, cm('a'), json)).status,
      (await rawRequest(server, 'GET', `${cms}/a`)).status,
      (await rawRequest(server, 'GET', `${cms}/missing`)).status,
      (await rawRequest(server, 'GET', cms)).status,
      (await rawRequest(server, 'PATCH', `${cms}/a`, '{"data":{"k":"w"}}', { 'Content-Type': 'application/merge-patch+json' })).status,
      (await rawRequest(server, 'PATCH', `${cms}/b?fieldManager=t`, cm('b'), { 'Content-Type': 'application/apply-patch+yaml' })).status,
      (await rawRequest(server, 'POST', `${cms}?dryRun=All`, cm('c'), json)).status,
      (await rawRequest(server, 'DELETE', `${cms}/a`)).status,
      (await rawRequest(server, 'GET', '/healthz')).status,
    ];
    expect(statuses).toEqual([201, 201, 409, 200, 404, 200, 200, 200, 201, 200, 200]);
    const after = await scrape();
    const delta = (labels: Record<string, string>) => requests(after, labels) - requests(before, labels);
    const core = { group: '', version: 'v1', resource: 'configmaps', component: 'apiserver' };
    expect(delta({ ...core, verb: 'POST', code: '201', dry_run: '', scope: 'resource' })).toBe(2);
    expect(delta({ ...core, verb: 'POST', code: '409' })).toBe(1);
    expect(delta({ ...core, verb: 'POST', code: '201', dry_run: 'All' })).toBe(1);
    expect(delta({ ...core, verb: 'GET', code: '200', scope: 'resource' })).toBe(1);
    expect(delta({ ...core, verb: 'GET', code: '404' })).toBe(1);
    expect(delta({ ...core, verb: 'LIST', code: '200', scope: 'namespace' })).toBe(1);
    expect(delta({ ...core, verb: 'PATCH', code: '200' })).toBe(1);
    expect(delta({ ...core, verb: 'APPLY', code: '200' })).toBe(1);
    expect(delta({ ...core, verb: 'DELETE', code: '200' })).toBe(1);
    expect(delta({ verb: 'GET', resource: '', subresource: '/healthz', code: '200' })).toBe(1);
    // The scrape before this one is itself a request.
    expect(delta({ verb: 'GET', subresource: '/metrics', code: '200' })).toBe(1);
    const count = (x: Exposition) => x.sum('apiserver_request_duration_seconds_count', { ...core, verb: 'POST', dry_run: '' });
    expect(count(after) - count(before)).toBe(3);
  });

  it('requests for resources that do not exist add no series of their own', async () => {
    await rawRequest(server, 'GET', '/api/v1/namespaces/metrics/made-up-things');
    await rawRequest(server, 'GET', '/apis/example.com/v1/whatever');
    const x = await scrape();
    expect(x.samples.some((s) => s.labels['resource'] === 'made-up-things' || s.labels['resource'] === 'whatever')).toBe(false);
    expect(requests(x, { resource: '', subresource: '', code: '404' })).toBeGreaterThanOrEqual(2);
  });

  it('an open watch is a long-running request until it ends, then a counted WATCH', async () => {
    const watchLabels = { verb: 'WATCH', group: '', version: 'v1', resource: 'configmaps', scope: 'namespace' };
    const openWatches = (x: Exposition) => x.sum('apiserver_longrunning_requests', watchLabels);
    const before = await scrape();
    expect(openWatches(before)).toBe(0);
    const w1 = await rawWatch(server, '/api/v1/namespaces/metrics/configmaps?watch=true');
    const w2 = await rawWatch(server, '/api/v1/namespaces/metrics/configmaps?watch=true&allowWatchBookmarks=true');
    expect(openWatches(await scrape())).toBe(2);
    // Not counted as finished requests while open.
    expect(requests(await scrape(), { ...watchLabels, code: '200' })).toBe(requests(before, { ...watchLabels, code: '200' }));
    w1.close();
    await eventually(async () => expect(openWatches(await scrape())).toBe(1));
    w2.close();
    await eventually(async () => expect(openWatches(await scrape())).toBe(0));
    const after = await scrape();
    expect(requests(after, { ...watchLabels, code: '200' }) - requests(before, { ...watchLabels, code: '200' })).toBe(2);
  });

  it('reports stored objects per resource, storage size and the current revision', async () => {
    const before = await scrape();
    for (const name of ['x1', 'x2', 'x3']) {
      expect((await rawRequest(server, 'POST', '/api/v1/namespaces/metrics/secrets', JSON.stringify({ metadata: { name }, stringData: { a: 'b' } }), json)).status).toBe(201);
    }
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    expect((await rawRequest(server, 'POST', '/apis/apps/v1/namespaces/metrics/deployments', JSON.stringify(deployment), json)).status).toBe(201);
    const after = await scrape();
    const objects = (x: Exposition, resource: string) => x.sum('apiserver_storage_objects', { resource });
    expect(objects(after, 'secrets') - objects(before, 'secrets')).toBe(3);
    expect(objects(after, 'deployments.apps') - objects(before, 'deployments.apps')).toBe(1);
    expect(objects(after, 'namespaces')).toBeGreaterThanOrEqual(5);
    // core/v1 and events.k8s.io/v1 Events are one stored resource.
    expect(after.find('apiserver_storage_objects', { resource: 'events' })).toHaveLength(1);
    expect(after.find('apiserver_storage_objects', { resource: 'events.events.k8s.io' })).toHaveLength(0);
    expect(after.sum('kuscia_storage_current_revision')).toBe(server.store.revision);
    expect(after.sum('apiserver_storage_size_bytes') - before.sum('apiserver_storage_size_bytes')).toBeGreaterThan(0);
  });

  it('serves process metrics and needs credentials like any non-public path', async () => {
    const x = await scrape();
    expect(x.types.get('process_resident_memory_bytes')).toBe('gauge');
    expect(x.sum('apiserver_current_inflight_requests', { request_kind: 'readOnly' })).toBeGreaterThanOrEqual(1);
    const anonymous = await rawRequest(server, 'GET', '/metrics', undefined, {}, { clientCert: false });
    expect(anonymous.status).toBe(401);
  });
});
