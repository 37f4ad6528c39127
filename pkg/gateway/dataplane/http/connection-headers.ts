import type { HeaderMap } from './header-map.ts';

/** Connection-specific headers: never forwarded, and forbidden in HTTP/2 (RFC 9113 §8.2.2). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'http2-settings'];

/** Removes what belongs to one hop only; `te` survives only as `trailers` (gRPC needs it). */
export function removeHopByHop(headers: HeaderMap): void {
  for (const name of headers.getAll('connection').flatMap((v) => v.split(','))) {
    const n = name.trim().toLowerCase();
    if (n && !n.startsWith(':')) headers.delete(n);
  }
  for (const name of HOP_BY_HOP) headers.delete(name);
  const te = headers.get('te');
  if (te !== undefined) {
    if (te.split(',').some((v) => v.trim().toLowerCase() === 'trailers')) headers.set('te', 'trailers');
    else headers.delete('te');
  }
}
