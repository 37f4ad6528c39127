/**
 * k8s.io/apimachinery/pkg/util/duration.HumanDuration: the AGE format kubectl users know
 * ("5s", "3m20s", "2d3h", "45d", "3y20d"), ~2-3 significant figures. Integer divisions truncate
 * like Go's conversions.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Up to 2s in the future counts as "now": clocks of different machines drift.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp as metav1.Time does; undefined for "", null or anything malformed. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !rfc3339.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * translateTimestampSince: the age of `timestamp` at `now`, "<unknown>" when it is not set
 * (a zero metav1.Time).
 */
export function ageSince(timestamp: unknown, now: Date): string {
  const t = parseTimestamp(timestamp);
  return t ? humanDuration(now.getTime() - t.getTime()) : '<unknown>';
}
