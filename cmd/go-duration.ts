/**
 * Go's time.ParseDuration syntax, which Kubernetes flags such as --event-ttl use: a sequence of
 * decimal numbers with units, e.g. "1h", "30m", "90s", "1h30m", "1.5h", "300ms", or a bare "0".
 * Units: ns, us (µs, μs), ms, s, m, h. Returns milliseconds.
 */
const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export class DurationSyntaxError extends Error {}

export function parseGoDuration(text: string): number {
  const invalid = () => new DurationSyntaxError(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  const term = /^(\d*)(?:\.(\d*))?([^\d.]+)/;
  while (s !== '') {
    const m = term.exec(s);
    if (!m && /^\d*\.?\d*$/.test(s)) throw new DurationSyntaxError(`time: missing unit in duration ${JSON.stringify(text)}`);
    // A number needs digits before or after the point ("1.", ".5" are fine, "." is not).
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw invalid();
    const unit = unitMs[m[3]];
    if (unit === undefined) throw new DurationSyntaxError(`time: unknown unit ${JSON.stringify(m[3])} in duration ${JSON.stringify(text)}`);
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * unit;
    s = s.slice(m[0].length);
  }
  return sign * total;
}
