/** One media range of an HTTP `Accept` header. */
export interface MediaRange {
  type: string;
  subtype: string;
  /** Parameter names lower-cased; `q` is removed and reported separately. */
  params: Record<string, string>;
  q: number;
}

/**
 * Parses `Accept` into media ranges ordered by preference (q descending, header order for ties),
 * the way Go's apiserver negotiation ranks them.
 */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [{ type: '*', subtype: '*', params: {}, q: 1 }];
  const ranges: Array<MediaRange & { index: number }> = [];
  header.split(',').forEach((part, index) => {
    const [mediaType, ...paramParts] = part.split(';').map((s) => s.trim());
    const [type, subtype] = (mediaType ?? '').toLowerCase().split('/');
    if (!type || !subtype) return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      const name = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (name === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
      else params[name] = value;
    }
    if (q > 0) ranges.push({ type, subtype, params, q, index });
  });
  return ranges.sort((a, b) => b.q - a.q || a.index - b.index).map(({ index: _index, ...r }) => r);
}

/** True when the range accepts `application/json` (also via `*\/*` or `application/*`). */
export function acceptsJson(range: MediaRange): boolean {
  return (range.type === 'application' || range.type === '*') && (range.subtype === 'json' || range.subtype === '*');
}
