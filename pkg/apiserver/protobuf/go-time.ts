import { int64ToNumber } from './json-value.ts';

/**
 * Kubernetes' JSON forms of its time types, from the protobuf {seconds, nanos} form:
 * metav1.Time is RFC 3339 to the second (time.RFC3339), metav1.MicroTime always carries six
 * fractional digits (RFC3339Micro); both are rendered in UTC with a `Z`.
 */
export function formatTime(seconds: unknown, nanos: unknown, precision: 'seconds' | 'micros'): string {
  const secs = int64ToNumber(seconds ?? 0);
  const iso = new Date(secs * 1000).toISOString(); // 2026-01-02T03:04:05.000Z
  const base = iso.slice(0, 19);
  if (precision === 'seconds') return `${base}Z`;
  const micros = Math.floor(int64ToNumber(nanos ?? 0) / 1000);
  return `${base}.${String(micros).padStart(6, '0')}Z`;
}

/** Go's time.Duration.String() (metav1.Duration marshals to it): "1h2m3.5s", "150ms", "0s". */
export function formatGoDuration(nanoseconds: unknown): string {
  let ns = BigInt(Math.trunc(int64ToNumber(nanoseconds ?? 0)));
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  if (ns < 0n) ns = -ns;
  if (ns < 1_000n) return `${sign}${ns}ns`;
  if (ns < 1_000_000n) return `${sign}${fraction(ns, 3)}µs`;
  if (ns < 1_000_000_000n) return `${sign}${fraction(ns, 6)}ms`;
  const seconds = fraction(ns % 60_000_000_000n, 9);
  const totalMinutes = ns / 60_000_000_000n;
  const hours = totalMinutes / 60n;
  const minutes = totalMinutes % 60n;
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** `value / 10^digits` with trailing fractional zeros (and a bare dot) dropped, like Go's fmtFrac. */
function fraction(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const whole = value / scale;
  const frac = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}
