/** Token lifetimes and the metav1.Time strings they are stored as. */
import { rfc3339 } from '../../controllers/common/controller-context.ts';

export { rfc3339 };

/** Kuscia's "never expires" for rollingUpdatePeriod 0: now + 100 calendar years. */
export function hundredYearsFrom(nowMs: number): number {
  const d = new Date(nowMs);
  d.setUTCFullYear(d.getUTCFullYear() + 100);
  return d.getTime();
}

/**
 * When a revision the destination issues now expires: after two rolling periods (so the previous
 * token stays valid while the next one is negotiated), or in 100 years when rolling is off.
 */
export function destinationExpiration(nowMs: number, rollingUpdatePeriodSeconds: number | undefined): number {
  const period = rollingUpdatePeriodSeconds ?? 0;
  return period === 0 ? hundredYearsFrom(nowMs) : nowMs + 2 * period * 1000;
}

export const msToUnixNanos = (ms: number): bigint => BigInt(Math.round(ms)) * 1_000_000n;
export const unixNanosToMs = (ns: bigint): number => Number(ns / 1_000_000n);

/** Milliseconds of a metav1.Time string; undefined when absent or unparsable. */
export function timeMs(time: string | undefined): number | undefined {
  if (!time) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : ms;
}
