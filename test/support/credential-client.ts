import { request } from 'node:https';
import type { RawResponse } from './raw-client.ts';

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
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), { method, ca, cert: credentials.cert, key: credentials.key, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: <T>() => JSON.parse(text) as T }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
