import { sendRaw, type RawResponse } from './raw-client.ts';

/** Who a request claims to be: a bearer token, a client certificate, or nothing. */
export interface Credentials {
  token?: string;
  cert?: string;
  key?: string;
}

/**
 * One HTTPS request to `baseUrl` with the given credentials (and only those), verifying the server
 * against `ca`. For authentication and authorization tests: the admin helpers always send the
 * admin certificate.
 */
export function requestAs(
  baseUrl: string,
  ca: string,
  credentials: Credentials,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<RawResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (credentials.token !== undefined) headers['Authorization'] = `Bearer ${credentials.token}`;
  if (payload !== undefined) {
    headers['Content-Type'] = contentType;
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  return sendRaw(new URL(path, baseUrl), { method, ca, cert: credentials.cert, key: credentials.key, headers, agent: false }, payload);
}
