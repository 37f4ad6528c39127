import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { Address } from '../config/substitution-format.ts';
import { HeaderMap } from '../http/header-map.ts';
import type { DownstreamProtocol } from '../upstream/active-cluster.ts';
import type { DownstreamExchange } from './downstream-exchange.ts';

/** A request on an HTTP/1.x connection. `Host` becomes `:authority`; absolute-form targets are split. */
export class Http1Exchange implements DownstreamExchange {
  readonly protocol: DownstreamProtocol;
  readonly headers: HeaderMap;
  readonly body: IncomingMessage | null;
  readonly remote: Address;
  readonly local: Address;
  readonly isTls: boolean;
  private readonly res: ServerResponse;

  constructor(req: IncomingMessage, res: ServerResponse, allowAbsoluteUrl: boolean) {
    this.res = res;
    this.protocol = req.httpVersion === '1.0' ? 'HTTP/1.0' : 'HTTP/1.1';
    this.isTls = 'encrypted' in req.socket && req.socket.encrypted === true;
    const headers = HeaderMap.fromRaw(req.rawHeaders);
    const host = headers.get('host');
    headers.delete('host');
    let path = req.url ?? '/';
    let authority = host;
    if (allowAbsoluteUrl && /^https?:\/\//i.test(path)) {
      const url = new URL(path);
      authority = url.host;
      path = `${url.pathname}${url.search}`;
    }
    headers.set(':method', req.method ?? 'GET');
    headers.set(':path', path);
    headers.set(':scheme', this.isTls ? 'https' : 'http');
    if (authority !== undefined) headers.set(':authority', authority);
    this.headers = headers;
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    this.body = hasBody ? req : null;
    if (!hasBody) req.resume();
    this.remote = { address: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? 0 };
    this.local = { address: req.socket.localAddress ?? '', port: req.socket.localPort ?? 0 };
  }

  get responseStarted(): boolean {
    return this.res.headersSent;
  }

  respond(headers: HeaderMap, endStream: boolean): Writable | null {
    const status = Number(headers.get(':status') ?? 200);
    this.res.writeHead(status, headers.toObject(false));
    if (endStream) {
      this.res.end();
      return null;
    }
    return this.res;
  }

  end(): void {
    this.res.end();
  }

  reset(): void {
    this.res.destroy();
  }

  onClose(listener: (completed: boolean) => void): void {
    this.res.once('close', () => listener(this.res.writableFinished));
  }
}
