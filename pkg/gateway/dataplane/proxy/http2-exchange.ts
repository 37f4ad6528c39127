import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { Writable } from 'node:stream';
import type { Address } from '../config/substitution-format.ts';
import { HeaderMap } from '../http/header-map.ts';
import type { DownstreamProtocol } from '../upstream/active-cluster.ts';
import type { DownstreamExchange } from './downstream-exchange.ts';

/** A stream on an HTTP/2 connection (h2c prior knowledge, or TLS with ALPN h2). */
export class Http2Exchange implements DownstreamExchange {
  readonly protocol: DownstreamProtocol = 'HTTP/2';
  readonly headers: HeaderMap;
  readonly body: ServerHttp2Stream | null;
  readonly remote: Address;
  readonly local: Address;
  readonly isTls: boolean;
  private readonly stream: ServerHttp2Stream;
  private trailers: HeaderMap | undefined;
  private started = false;

  constructor(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number, rawHeaders: string[] | undefined) {
    this.stream = stream;
    const map = rawHeaders ? HeaderMap.fromRaw(rawHeaders) : HeaderMap.fromObject(headers);
    // RFC 9113 §8.3.1: a Host header stands in for a missing :authority.
    const host = map.get('host');
    if (host !== undefined) {
      if (!map.has(':authority')) map.set(':authority', host);
      map.delete('host');
    }
    this.headers = map;
    const endStream = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
    this.body = endStream ? null : stream;
    if (endStream) stream.resume();
    const socket = stream.session?.socket;
    this.isTls = socket !== undefined && 'encrypted' in socket && socket.encrypted === true;
    this.remote = { address: socket?.remoteAddress ?? '', port: socket?.remotePort ?? 0 };
    this.local = { address: socket?.localAddress ?? '', port: socket?.localPort ?? 0 };
  }

  get responseStarted(): boolean {
    return this.started || this.stream.headersSent;
  }

  respond(headers: HeaderMap, endStream: boolean, trailersPossible: boolean): Writable | null {
    this.started = true;
    if (this.stream.destroyed || this.stream.closed) return null;
    const out = headers.toObject(true);
    out[':status'] = Number(headers.get(':status') ?? 200);
    const waitForTrailers = !endStream && trailersPossible;
    if (waitForTrailers) {
      // Trailers are known only when the upstream ends; an empty trailer block ends the stream otherwise.
      this.stream.once('wantTrailers', () => this.stream.sendTrailers(this.trailers?.toObject(false) ?? {}));
    }
    this.stream.respond(out, { endStream, waitForTrailers });
    return endStream ? null : this.stream;
  }

  end(trailers?: HeaderMap): void {
    this.trailers = trailers;
    if (!this.stream.destroyed) this.stream.end();
  }

  reset(): void {
    if (!this.stream.destroyed) this.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  }

  onClose(listener: (completed: boolean) => void): void {
    this.stream.once('close', () => listener(this.stream.rstCode === http2.constants.NGHTTP2_NO_ERROR && this.stream.writableFinished));
  }
}
