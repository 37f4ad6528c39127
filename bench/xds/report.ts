/** Formatting of the xDS benchmark's figures (sizes, latency distributions, per-type breakdowns). */
import { PUSH_ORDER, TypeUrl } from '../../pkg/gateway/xds/envoy-protos.ts';
import type { XdsTypeCounters } from '../../pkg/gateway/xds/server/index.ts';
import { median, ms, percentile, sortedCopy } from '../apiserver/stats.ts';

const SHORT: Record<string, string> = {
  [TypeUrl.Cluster]: 'CDS',
  [TypeUrl.ClusterLoadAssignment]: 'EDS',
  [TypeUrl.Listener]: 'LDS',
  [TypeUrl.RouteConfiguration]: 'RDS',
};

export const short = (typeUrl: string): string => SHORT[typeUrl] ?? typeUrl;

export function kb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

export interface Distribution {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function distribution(values: number[]): Distribution {
  const s = sortedCopy(values);
  return { p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : NaN };
}

export const formatDistribution = (d: Distribution): string => `${ms(d.p50)} / ${ms(d.p90)} / ${ms(d.p99)} / ${ms(d.max)}`;

/** "CDS 1023 res 383.1 kB, EDS ..." */
export function formatSizes(sizes: ReadonlyArray<{ typeUrl: string; resources: number; bytes: number }>): string {
  return sizes.map((s) => `${short(s.typeUrl)} ${s.resources} res ${kb(s.bytes)}`).join(', ');
}

/** Bytes pushed per type (and pushes), e.g. over a full push or divided by the number of changes. */
export function formatPushed(counters: ReadonlyMap<string, XdsTypeCounters>, per = 1): string {
  const parts = PUSH_ORDER.map((t) => {
    const c = counters.get(t)!;
    return `${short(t)} ${kb(c.bytes / per)} (${+(c.pushes / per).toFixed(2)} pushes)`;
  });
  const total = [...counters.values()].reduce((n, c) => n + c.bytes, 0) / per;
  return `${parts.join(', ')}; total ${kb(total)}`;
}

export const formatMedian = (values: number[]): string => ms(median(values));
