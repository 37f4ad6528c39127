import { request, type RequestOptions } from 'node:https';
import type { RunningApiServer } from '../../pkg/apiserver/server.ts';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** One HTTPS request with the admin client certificate, for wire-level assertions. */
export function rawRequest(
  server: Pick<RunningApiServer, 'url' | 'pki'>,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
  opts: { chunked?: boolean; clientCert?: boolean } = {},
): Promise<RawResponse> {
  const withCert = opts.clientCert ?? true;
  return sendRaw(
    new URL(path, server.url),
    {
      method,
      ca: server.pki.ca.certPem,
      cert: withCert ? server.pki.admin.certPem : undefined,
      key: withCert ? server.pki.admin.keyPem : undefined,
      headers: { ...(body !== undefined && !opts.chunked ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...headers },
    },
    body,
  );
}

/** Sends one HTTPS request and resolves with the whole answer (any status). */
export function sendRaw(url: URL, options: RequestOptions, body?: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: <T>() => JSON.parse(text) as T }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
