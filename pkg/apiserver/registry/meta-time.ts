/**
 * metav1.Time: RFC 3339 with second precision, always UTC ("2026-11-23T10:00:00Z"). Every write
 * stamps one or two of these, so the rendering of the current second is memoised.
 */
let cachedSecond = Number.NaN;
let cachedText = '';

export function metaTime(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return cachedText;
}

