import type { Metric, Registry } from 'prom-client';

/**
 * Metric families updated on every request, exposed through a prom-client Registry.
 *
 * Why not prom-client's Counter/Histogram here: they re-validate and re-hash the label object on
 * every inc/observe, even through `labels()` children (~1.6 µs per request for the two request
 * metrics, measured). These families keep one mutable series object per label set in a Map keyed
 * by a string the caller builds, so the hot path is one Map lookup and a few additions; the label
 * objects are built once per series and the Registry formats them only when /metrics is scraped.
 */
export type Labels = Readonly<Record<string, string>>;

interface PromValue {
  value: number;
  labels: Labels;
  metricName?: string;
}

interface PromMetricObject {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  aggregator: 'sum';
  values: PromValue[];
}

/** The shape prom-client's Registry formats: it calls `get()` on scrape and `reset()` on resetMetrics(). */
interface Collector {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<PromMetricObject>;
  reset(): void;
}

/**
 * prom-client's Registry formats any collector with name/help/type/aggregator/get(); its typings
 * only name its own classes, hence the one cast.
 */
function register(registry: Registry, collector: Collector): void {
  registry.registerMetric(collector as unknown as Metric);
}

export interface ValueSeries {
  readonly labels: Labels;
  value: number;
}

/** A counter or gauge family: callers add to `series(key, labels).value`. */
export class ValueFamily implements Collector {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly aggregator = 'sum' as const;
  readonly #series = new Map<string, ValueSeries>();

  constructor(registry: Registry, opts: { name: string; help: string; type: 'counter' | 'gauge' }) {
    this.name = opts.name;
    this.help = opts.help;
    this.type = opts.type;
    register(registry, this);
  }

  /** The series for `key`; `labels` is only called the first time the key is seen. */
  series(key: string, labels: () => Labels): ValueSeries {
    let s = this.#series.get(key);
    if (!s) {
      s = { labels: labels(), value: 0 };
      this.#series.set(key, s);
    }
    return s;
  }

  async get(): Promise<PromMetricObject> {
    const values: PromValue[] = [];
    for (const s of this.#series.values()) values.push({ value: s.value, labels: s.labels });
    return { name: this.name, help: this.help, type: this.type, aggregator: 'sum', values };
  }

  /** Zeroes every series (callers may hold series objects, so they stay registered). */
  reset(): void {
    for (const s of this.#series.values()) s.value = 0;
  }
}

export interface HistogramSeries {
  readonly labels: Labels;
  /** Per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** A histogram family with fixed upper bounds. */
export class HistogramFamily implements Collector {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly #bounds: readonly number[];
  readonly #boundLabels: readonly string[];
  readonly #series = new Map<string, HistogramSeries>();

  constructor(registry: Registry, opts: { name: string; help: string; buckets: readonly number[] }) {
    this.name = opts.name;
    this.help = opts.help;
    this.#bounds = [...opts.buckets].sort((a, b) => a - b);
    this.#boundLabels = [...this.#bounds.map(String), '+Inf'];
    register(registry, this);
  }

  series(key: string, labels: () => Labels): HistogramSeries {
    let s = this.#series.get(key);
    if (!s) {
      s = { labels: labels(), counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    return s;
  }

  observe(s: HistogramSeries, value: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    s.counts[i]++;
    s.sum += value;
    s.count++;
  }

  async get(): Promise<PromMetricObject> {
    const values: PromValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const s of this.#series.values()) {
      let cumulative = 0;
      for (let i = 0; i < s.counts.length; i++) {
        cumulative += s.counts[i];
        values.push({ metricName: bucketName, value: cumulative, labels: { ...s.labels, le: this.#boundLabels[i] } });
      }
      values.push({ metricName: `${this.name}_sum`, value: s.sum, labels: s.labels });
      values.push({ metricName: `${this.name}_count`, value: s.count, labels: s.labels });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  reset(): void {
    for (const s of this.#series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
