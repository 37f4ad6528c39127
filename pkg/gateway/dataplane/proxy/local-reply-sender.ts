import { grpcStatusOfHttp, isGrpcRequest } from '../http/grpc.ts';
import { HeaderMap } from '../http/header-map.ts';
import { serverHeader, type StreamState } from './stream-state.ts';

export interface LocalReplyRequest {
  status: number;
  body: string;
  /** RESPONSE_CODE_DETAILS, e.g. `route_not_found`. */
  details: string;
  flag?: string;
  /** Route response headers (direct responses). */
  modifyHeaders?: (headers: HeaderMap) => void;
}

/**
 * Envoy's sendLocalReply: the route's response headers, then `local_reply_config` (which may change
 * status, body and headers), then for gRPC requests a trailers-only response (`:status 200`,
 * `grpc-status` from the HTTP status unless already set, `grpc-message` = the body).
 */
export function sendLocalReply(state: StreamState, request: LocalReplyRequest): void {
  const { exchange } = state;
  if (request.flag) state.flags.add(request.flag);
  if (exchange.responseStarted) {
    exchange.reset();
    return;
  }
  const headers = new HeaderMap();
  headers.set(':status', String(request.status));
  request.modifyHeaders?.(headers);
  const reply = { status: request.status, body: request.body, contentType: 'text/plain', headers };
  const contentTypeBefore = headers.get('content-type');
  state.format.responseCode = request.status;
  state.format.responseCodeDetails = request.details;
  state.format.responseFlags = [...state.flags].join(',');
  state.format.responseHeaders = headers;
  state.hcm.localReply.rewrite(reply, state.format);
  state.format.responseCode = reply.status;
  headers.set(':status', String(reply.status));
  serverHeader(state, headers);
  exchange.body?.resume();

  if (isGrpcRequest(state.exchange.headers)) {
    headers.set(':status', '200');
    headers.set('content-type', 'application/grpc');
    if (!headers.has('grpc-status')) headers.set('grpc-status', String(grpcStatusOfHttp(reply.status)));
    const message = reply.body.endsWith('\n') ? reply.body.slice(0, -1) : reply.body;
    if (message && !headers.has('grpc-message')) headers.set('grpc-message', percentEncode(message));
    headers.delete('content-length');
    exchange.respond(headers, true, false);
    return;
  }
  const isHead = state.exchange.headers.get(':method') === 'HEAD';
  headers.set('content-length', String(Buffer.byteLength(reply.body)));
  if (reply.body && headers.get('content-type') === contentTypeBefore) headers.set('content-type', reply.contentType);
  const sink = exchange.respond(headers, !reply.body || isHead, false);
  if (sink) {
    sink.write(reply.body);
    exchange.end();
  }
}

/** gRPC's grpc-message encoding: bytes outside printable ASCII, and '%', as %XX. */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte < 0x20 || byte > 0x7e || byte === 0x25 ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
  }
  return out;
}
