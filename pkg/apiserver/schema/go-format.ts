/**
 * Go's fmt rendering of numbers and strings, so messages built from `%v` / `%q` read exactly like
 * kube-apiserver's (e.g. a float64 maximum of 1000000 prints as `1e+06`).
 */

/** strconv.FormatFloat(f, 'g', -1, 64), which is what `%v` prints for a float64. */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // Shortest digits; Go switches to %e when the exponent is < -4 or >= 6 (eprec 6 for shortest %g).
  const sci = f.toExponential(); // e.g. "1e+6", "1.5e-7"
  const [mant, e] = sci.split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    const abs = Math.abs(exponent);
    return `${mant}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(f);
}

/** `%v` of a JSON number as Kubernetes holds it: int64 when integral, float64 otherwise. */
export function goNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : goFloat(n);
}

/** `%q` of a string. JSON quoting agrees with Go for everything Kubernetes names contain. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}
