import type { Readable, Writable } from 'node:stream';
import type { Address } from '../config/substitution-format.ts';
import type { HeaderMap } from '../http/header-map.ts';
import type { DownstreamProtocol } from '../upstream/active-cluster.ts';

/**
 * One request/response on a downstream connection, the same for HTTP/1.x and HTTP/2 so the
 * connection manager and router do not care which protocol the client spoke.
 */
export interface DownstreamExchange {
  readonly protocol: DownstreamProtocol;
  /** Request headers with `:method`, `:path`, `:authority`, `:scheme`. */
  readonly headers: HeaderMap;
  /** The request body, or null when the request has none. */
  readonly body: Readable | null;
  readonly remote: Address;
  readonly local: Address;
  readonly isTls: boolean;
  readonly responseStarted: boolean;
  /**
   * Sends the response headers (`:status` included). Returns where the body goes, or null when
   * `endStream`. `trailersPossible` keeps an HTTP/2 stream open after the body for trailers.
   */
  respond(headers: HeaderMap, endStream: boolean, trailersPossible: boolean): Writable | null;
  /** Ends a response whose body was written; HTTP/2 trailers if any (HTTP/1 drops them, as Envoy). */
  end(trailers?: HeaderMap): void;
  /** Abrupt end: RST_STREAM on HTTP/2, closing the connection on HTTP/1. */
  reset(): void;
  /** Called once when the exchange is over; `completed` false when it was cut short. */
  onClose(listener: (completed: boolean) => void): void;
}
