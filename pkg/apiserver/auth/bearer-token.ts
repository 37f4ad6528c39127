import type { IncomingHttpHeaders } from 'node:http';

/**
 * The token of an `Authorization: Bearer <token>` header, as kube-apiserver's bearertoken
 * authenticator reads it: the scheme is case-insensitive, anything after a second space is
 * ignored. Undefined when the header is absent or uses another scheme; '' for `Bearer ` with
 * nothing after it (a failed authentication, not an anonymous request).
 */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (!auth) return undefined;
  const parts = auth.trim().split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1];
}
