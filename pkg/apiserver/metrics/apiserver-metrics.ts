import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RequestLabels } from './request-labels.ts';
import { HistogramFamily, ValueFamily, type HistogramSeries, type ValueSeries } from './series.ts';

/** kube-apiserver's apiserver_request_duration_seconds buckets (its SLO tracking relies on them). */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60] as const;

/** What the storage gauges read at scrape time (never on the request path). */
export interface StorageStatsSource {
  /** Backend name, reported as storage_cluster_id (kube-apiserver reports the etcd cluster id). */
  readonly backend: string;
  /** Live objects per resource, named as kube-apiserver names them (`pods`, `deployments.apps`). */
  objectCounts(): Iterable<{ resource: string; count: number }>;
  sizeBytes(): number;
  revision(): number;
  compactedRevision(): number;
}

export interface ApiServerMetricsOptions {
  storage: StorageStatsSource;
  /** prom-client's process metrics (CPU, memory, event loop lag, GC); on by default. */
  processMetrics?: boolean;
}

/**
 * The API server's Prometheus metrics, one Registry per server instance (two servers in one
 * process never share a series). Names and labels are kube-apiserver's where it has them:
 * apiserver_request_total, apiserver_request_duration_seconds, apiserver_current_inflight_requests,
 * apiserver_longrunning_requests, apiserver_storage_objects, apiserver_storage_size_bytes. The
 * revision gauges are kuscia_ prefixed: etcd reports them as etcd_debugging_mvcc_current_revision
 * and etcd_debugging_mvcc_compact_revision, unstable names of a server this is not.
 */
export class ApiServerMetrics {
  readonly registry = new Registry();
  readonly #requests: ValueFamily;
  readonly #durations: HistogramFamily;
  readonly #longRunning: ValueFamily;
  /** Per label set (without code): its duration series and its counter series by code. */
  readonly #byLabels = new Map<string, { duration: HistogramSeries; byCode: Map<number, ValueSeries> }>();
  /** Executing requests by kind, and the highest value since the last scrape. */
  readonly #inflight = { readOnly: 0, mutating: 0, readOnlyPeak: 0, mutatingPeak: 0 };

  constructor(opts: ApiServerMetricsOptions) {
    const registry = this.registry;
    this.#requests = new ValueFamily(registry, {
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      type: 'counter',
    });
    this.#durations = new HistogramFamily(registry, {
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      buckets: REQUEST_DURATION_BUCKETS,
    });
    this.#longRunning = new ValueFamily(registry, {
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
      type: 'gauge',
    });
    const inflight = this.#inflight;
    new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Maximal number of currently used inflight request limit of this apiserver per request kind since the last scrape.',
      labelNames: ['request_kind'],
      registers: [registry],
      collect() {
        this.set({ request_kind: 'readOnly' }, inflight.readOnlyPeak);
        this.set({ request_kind: 'mutating' }, inflight.mutatingPeak);
        inflight.readOnlyPeak = inflight.readOnly;
        inflight.mutatingPeak = inflight.mutating;
      },
    });
    const storage = opts.storage;
    new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind.',
      labelNames: ['resource'],
      registers: [registry],
      collect() {
        // A resource whose CRD was deleted must disappear, not keep its last count.
        this.reset();
        for (const { resource, count } of storage.objectCounts()) this.set({ resource }, count);
      },
    });
    new Gauge({
      name: 'apiserver_storage_size_bytes',
      help: 'Size of the storage database file physically allocated in bytes (memory storage: bytes of live values).',
      labelNames: ['storage_cluster_id'],
      registers: [registry],
      collect() {
        this.set({ storage_cluster_id: storage.backend }, storage.sizeBytes());
      },
    });
    new Gauge({
      name: 'kuscia_storage_current_revision',
      help: 'The current revision of the store (etcd: etcd_debugging_mvcc_current_revision).',
      registers: [registry],
      collect() {
        this.set(storage.revision());
      },
    });
    new Gauge({
      name: 'kuscia_storage_compacted_revision',
      help: 'The revision up to which history was compacted; older resourceVersions answer 410 (etcd: etcd_debugging_mvcc_compact_revision).',
      registers: [registry],
      collect() {
        this.set(storage.compactedRevision());
      },
    });
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  }

  /** A request entered the handler (long-running ones leave at once via requestEnded). */
  requestStarted(mutating: boolean): void {
    const f = this.#inflight;
    if (mutating) {
      if (++f.mutating > f.mutatingPeak) f.mutatingPeak = f.mutating;
    } else if (++f.readOnly > f.readOnlyPeak) f.readOnlyPeak = f.readOnly;
  }

  requestEnded(mutating: boolean): void {
    if (mutating) this.#inflight.mutating--;
    else this.#inflight.readOnly--;
  }

  /** Counts a finished request and observes its duration. */
  recordRequest(labels: RequestLabels, code: number, seconds: number): void {
    const key = labelKey(labels);
    let entry = this.#byLabels.get(key);
    if (!entry) {
      entry = { duration: this.#durations.series(key, () => ({ ...labels })), byCode: new Map() };
      this.#byLabels.set(key, entry);
    }
    let counter = entry.byCode.get(code);
    if (!counter) {
      counter = this.#requests.series(`${key} ${code}`, () => ({ ...labels, code: String(code) }));
      entry.byCode.set(code, counter);
    }
    counter.value++;
    this.#durations.observe(entry.duration, seconds);
  }

  /** A watch (or other long-running request) started; call the result when it ends. */
  longRunningStarted(labels: RequestLabels): () => void {
    const { dry_run: _, ...rest } = labels;
    const series: ValueSeries = this.#longRunning.series(labelKey(labels), () => rest);
    series.value++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      series.value--;
    };
  }

  /** The Prometheus text exposition of everything in this server's registry. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** One string per label set (space never occurs in a label value the mapping produces). */
function labelKey(l: RequestLabels): string {
  return `${l.verb} ${l.dry_run} ${l.group} ${l.version} ${l.resource} ${l.subresource} ${l.scope} ${l.component}`;
}
