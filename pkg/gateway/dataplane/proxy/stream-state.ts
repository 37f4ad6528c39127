import type { Logger } from 'pino';
import type { HcmConfig } from '../config/http-connection-manager.ts';
import type { FormatContext } from '../config/substitution-format.ts';
import type { HeaderMap } from '../http/header-map.ts';
import type { DownstreamExchange } from './downstream-exchange.ts';

/** What the connection manager, its filters and the router share about one request. */
export interface StreamState {
  exchange: DownstreamExchange;
  hcm: HcmConfig;
  /** The request headers as they are being changed on their way upstream. */
  headers: HeaderMap;
  /** Context for format strings (`%REQ()%`, local reply bodies); filled in as the stream goes. */
  format: FormatContext;
  /** Envoy response flags: NR no route, UH no healthy upstream, UF connect failure, UT timeout, ... */
  flags: Set<string>;
  log: Logger;
}

export function serverHeader(state: StreamState, headers: HeaderMap): void {
  const { serverHeaderTransformation, serverName } = state.hcm;
  if (serverHeaderTransformation === 'OVERWRITE' || (serverHeaderTransformation === 'APPEND_IF_ABSENT' && !headers.has('server'))) {
    headers.set('server', serverName);
  }
}
