/**
 * One handshake HTTP exchange, as Kuscia's utils.DoHTTP: JSON body, a 10 s timeout, anything but
 * 200 an error carrying the status and the first 200 bytes of the body.
 */
import http from 'node:http';
import https from 'node:https';

export interface HandshakeTransportOptions {
  /** Connection pooling / TLS settings for the requests; Node's global agent when omitted. */
  agent?: http.Agent;
  /** Kuscia: 10 s. */
  timeoutMs: number;
}

/** The request got no usable answer: connection failure, timeout, or a non-200 status. */
export class HandshakeTransportError extends Error {
  override readonly name = 'HandshakeTransportError';
  /** The HTTP status, when there was one. */
  readonly statusCode: number | undefined;
  constructor(message: string, statusCode?: number) {
    super(message);
    this.statusCode = statusCode;
  }
}

export function sendHandshakeRequest(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  options: HandshakeTransportOptions,
): Promise<string> {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      {
        method,
        headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent: options.agent,
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new HandshakeTransportError(`read response body error, detail -> ${err.message}`)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(new HandshakeTransportError(`response status code [${res.statusCode}], detail -> ${text.slice(0, 200)}`, res.statusCode));
          } else {
            resolve(text);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${options.timeoutMs} ms`)));
    req.on('error', (err) => reject(new HandshakeTransportError(`send request error, detail -> ${err.message}`)));
    req.end(body);
  });
}
