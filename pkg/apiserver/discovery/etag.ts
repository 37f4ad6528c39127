import { createHash } from 'node:crypto';

/**
 * Strong ETag of a response body (quoted, as HTTP requires). Discovery and OpenAPI documents only
 * change when the set of served resources changes, so clients revalidate with If-None-Match and get
 * a 304 instead of the full document.
 */
export function etagOf(body: string | Uint8Array): string {
  return `"${contentHash(body)}"`;
}

/** Upper-case hex SHA-512, the form kube-openapi uses for `/openapi/v3/...?hash=`. */
export function contentHash(body: string | Uint8Array): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

/** True when an `If-None-Match` request header matches `etag` (handles lists, `*` and weak tags). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const c = candidate.trim();
    return c === '*' || c === etag || c === `W/${etag}`;
  });
}
