import { describe, expect, it } from 'vitest';
import { ApiServerMetrics, REQUEST_DURATION_BUCKETS, type StorageStatsSource } from './apiserver-metrics.ts';
import type { RequestLabels } from './request-labels.ts';
import { parsePrometheusText } from './test-support.ts';

const storage = (counts: Record<string, number> = {}): StorageStatsSource => ({
  backend: 'memory',
  objectCounts: () => Object.entries(counts).map(([resource, count]) => ({ resource, count })),
  sizeBytes: () => 1234,
  revision: () => 42,
  compactedRevision: () => 7,
});
const listPods: RequestLabels = { verb: 'LIST', dry_run: '', group: '', version: 'v1', resource: 'pods', subresource: '', scope: 'namespace', component: 'apiserver' };
const createPod: RequestLabels = { ...listPods, verb: 'POST', scope: 'resource' };

async function scrape(m: ApiServerMetrics) {
  return parsePrometheusText((await m.render()).body);
}

describe('ApiServerMetrics', () => {
  it('counts requests per label set and code, and observes durations in kube-apiserver buckets', async () => {
    const m = new ApiServerMetrics({ storage: storage(), processMetrics: false });
    m.recordRequest(listPods, 200, 0.003);
    m.recordRequest(listPods, 200, 0.07);
    m.recordRequest(createPod, 201, 0.01);
    m.recordRequest(createPod, 409, 0.01);
    const x = await scrape(m);
    expect(x.types.get('apiserver_request_total')).toBe('counter');
    expect(x.types.get('apiserver_request_duration_seconds')).toBe('histogram');
    expect(x.sum('apiserver_request_total', { verb: 'LIST', resource: 'pods', code: '200' })).toBe(2);
    expect(x.find('apiserver_request_total', { verb: 'POST', code: '201' })[0].labels).toEqual({ ...createPod, code: '201' });
    expect(x.sum('apiserver_request_total', { verb: 'POST', code: '409' })).toBe(1);

    const buckets = x.find('apiserver_request_duration_seconds_bucket', { verb: 'LIST' });
    expect(buckets.map((b) => b.labels['le'])).toEqual([...REQUEST_DURATION_BUCKETS.map(String), '+Inf']);
    const le = (bound: string) => buckets.find((b) => b.labels['le'] === bound)!.value;
    expect([le('0.005'), le('0.05'), le('0.1'), le('+Inf')]).toEqual([1, 1, 2, 2]);
    expect(x.sum('apiserver_request_duration_seconds_count', { verb: 'LIST' })).toBe(2);
    expect(x.sum('apiserver_request_duration_seconds_sum', { verb: 'LIST' })).toBeCloseTo(0.073);
    // The histogram has no code label (kube-apiserver's has none either).
    expect(x.find('apiserver_request_duration_seconds_count', { verb: 'POST' })).toHaveLength(1);
  });

  it('two instances in one process never share series', async () => {
    const a = new ApiServerMetrics({ storage: storage(), processMetrics: false });
    const b = new ApiServerMetrics({ storage: storage(), processMetrics: false });
    a.recordRequest(listPods, 200, 0.001);
    expect((await scrape(a)).sum('apiserver_request_total')).toBe(1);
    expect((await scrape(b)).sum('apiserver_request_total')).toBe(0);
  });

  it('long-running requests go up and down; ending twice counts once', async () => {
    const m = new ApiServerMetrics({ storage: storage(), processMetrics: false });
    const watch = { ...listPods, verb: 'WATCH' };
    const end1 = m.longRunningStarted(watch);
    const end2 = m.longRunningStarted(watch);
    expect((await scrape(m)).find('apiserver_longrunning_requests', { verb: 'WATCH', resource: 'pods' })[0].value).toBe(2);
    end1();
    end1();
    expect((await scrape(m)).find('apiserver_longrunning_requests', { resource: 'pods' })[0].value).toBe(1);
    end2();
    const x = await scrape(m);
    expect(x.find('apiserver_longrunning_requests', { resource: 'pods' })[0]).toMatchObject({ value: 0 });
    expect(x.find('apiserver_longrunning_requests')[0].labels).not.toHaveProperty('dry_run');
  });

  it('in-flight requests report the peak since the last scrape per kind', async () => {
    const m = new ApiServerMetrics({ storage: storage(), processMetrics: false });
    m.requestStarted(false);
    m.requestStarted(false);
    m.requestStarted(true);
    m.requestEnded(false);
    m.requestEnded(false);
    let x = await scrape(m);
    expect(x.find('apiserver_current_inflight_requests', { request_kind: 'readOnly' })[0].value).toBe(2);
    expect(x.find('apiserver_current_inflight_requests', { request_kind: 'mutating' })[0].value).toBe(1);
    m.requestEnded(true);
    x = await scrape(m);
    expect(x.find('apiserver_current_inflight_requests', { request_kind: 'readOnly' })[0].value).toBe(0);
    expect(x.find('apiserver_current_inflight_requests', { request_kind: 'mutating' })[0].value).toBe(1);
    x = await scrape(m);
    expect(x.find('apiserver_current_inflight_requests', { request_kind: 'mutating' })[0].value).toBe(0);
  });

  it('storage gauges read the store at scrape time; a vanished resource disappears', async () => {
    const counts: Record<string, number> = { pods: 3, 'kusciajobs.kuscia.secretflow': 1 };
    const m = new ApiServerMetrics({ storage: storage(counts), processMetrics: false });
    let x = await scrape(m);
    expect(x.find('apiserver_storage_objects', { resource: 'pods' })[0].value).toBe(3);
    expect(x.find('apiserver_storage_objects', { resource: 'kusciajobs.kuscia.secretflow' })[0].value).toBe(1);
    expect(x.find('apiserver_storage_size_bytes', { storage_cluster_id: 'memory' })[0].value).toBe(1234);
    expect(x.find('kuscia_storage_current_revision')[0].value).toBe(42);
    expect(x.find('kuscia_storage_compacted_revision')[0].value).toBe(7);
    delete counts['kusciajobs.kuscia.secretflow'];
    x = await scrape(m);
    expect(x.find('apiserver_storage_objects', { resource: 'kusciajobs.kuscia.secretflow' })).toEqual([]);
  });

  it('includes process metrics on its own registry', async () => {
    const m = new ApiServerMetrics({ storage: storage() });
    const x = await scrape(m);
    expect(x.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(x.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });
});
