import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { HeaderMutation } from '../config/header-mutation.ts';
import type { RouterConfig } from '../config/http-filters.ts';
import type { ForwardAction } from '../config/route-action.ts';
import type { RouteSelection } from '../config/route-config.ts';
import { removeHopByHop } from '../http/connection-headers.ts';
import type { HeaderMap } from '../http/header-map.ts';
import type { ActiveCluster } from '../upstream/active-cluster.ts';
import type { ClusterManager } from '../upstream/cluster-manager.ts';
import { openUpstream, type UpstreamExchange } from '../upstream/upstream-exchange.ts';
import type { UpstreamFailure } from '../upstream/upstream-failure.ts';
import type { UpstreamHost } from '../upstream/upstream-host.ts';
import { sendLocalReply } from './local-reply-sender.ts';
import { serverHeader, type StreamState } from './stream-state.ts';
import { StreamTimers } from './stream-timers.ts';

/** Header mutations of the three levels in Envoy's order (route first, so the enclosing levels win). */
function levels(selection: RouteSelection): Array<{ request: HeaderMutation; response: HeaderMutation }> {
  const order = [selection.route, selection.virtualHost, selection.config];
  return selection.config.mostSpecificHeaderMutationsWins ? order.reverse() : order;
}

/**
 * Envoy's router filter for a forwarding route: picks the cluster and a host, rewrites the
 * request (route headers, host and path), streams it upstream and the response back without
 * buffering, and turns failures into Envoy's local replies (503 no healthy upstream / upstream
 * connect error, 504 upstream request timeout).
 */
export function forward(state: StreamState, selection: RouteSelection, action: ForwardAction, router: RouterConfig, clusters: ClusterManager): void {
  const { headers, exchange } = state;
  const clusterName = action.cluster ?? (action.clusterHeader ? headers.get(action.clusterHeader) : undefined);
  if (clusterName === undefined) {
    sendLocalReply(state, { status: 404, body: '', details: 'cluster_not_found', flag: 'NC' });
    return;
  }
  const cluster = clusters.get(clusterName);
  if (!cluster) {
    const status = action.clusterHeader && action.clusterNotFoundStatus === 503 ? 404 : action.clusterNotFoundStatus;
    sendLocalReply(state, { status, body: '', details: 'cluster_not_found', flag: 'NC' });
    return;
  }
  for (const level of levels(selection)) level.request.apply(headers, state.format);
  if (action.hostRewrite?.kind === 'literal') headers.set(':authority', action.hostRewrite.host);
  if (action.hostRewrite?.kind === 'header') {
    const value = headers.get(action.hostRewrite.name);
    if (value) headers.set(':authority', value);
  }
  if (action.rewritePath) headers.set(':path', action.rewritePath(headers.get(':path') ?? '/'));
  if (!headers.has('x-forwarded-proto')) headers.set('x-forwarded-proto', exchange.isTls ? 'https' : 'http');
  if (state.hcm.generateRequestId && !headers.has('x-request-id')) headers.set('x-request-id', randomUUID());
  if (!router.suppressEnvoyHeaders && action.timeoutMs > 0) headers.set('x-envoy-expected-rq-timeout-ms', String(action.timeoutMs));
  removeHopByHop(headers);

  const host = cluster.choose();
  if (!host) {
    sendLocalReply(state, { status: 503, body: 'no healthy upstream', details: 'no_healthy_upstream', flag: 'UH' });
    return;
  }
  if (action.hostRewrite?.kind === 'auto') {
    const name = host.hostname ?? (cluster.config.type === 'STRICT_DNS' || cluster.config.type === 'LOGICAL_DNS' ? host.host : undefined);
    if (name) headers.set(':authority', name);
  }
  state.format.upstreamHost = host.address;
  new UpstreamCall(state, selection, action, router, cluster, host).start();
}

/** One request to one upstream host, from sending the headers to the end of the response. */
class UpstreamCall {
  private readonly state: StreamState;
  private readonly selection: RouteSelection;
  private readonly router: RouterConfig;
  private readonly cluster: ActiveCluster;
  private readonly host: UpstreamHost;
  private readonly timers: StreamTimers;
  private readonly startedAt = Date.now();
  private upstream: UpstreamExchange | undefined;
  private status: number | undefined;
  private done = false;

  constructor(state: StreamState, selection: RouteSelection, action: ForwardAction, router: RouterConfig, cluster: ActiveCluster, host: UpstreamHost) {
    this.state = state;
    this.selection = selection;
    this.router = router;
    this.cluster = cluster;
    this.host = host;
    this.timers = new StreamTimers({
      requestTimeoutMs: state.hcm.requestTimeoutMs,
      timeoutMs: action.timeoutMs,
      idleTimeoutMs: action.idleTimeoutMs ?? state.hcm.streamIdleTimeoutMs,
      onTimeout: () => this.timedOut('upstream request timeout', 504, 'upstream_response_timeout', 'UT'),
      onIdle: () => this.timedOut('stream timeout', 408, 'stream_idle_timeout', 'SI'),
      onRequestTimeout: () => this.timedOut('request timeout', 408, 'request_overall_timeout', 'DT'),
    });
  }

  start(): void {
    const { exchange } = this.state;
    const protocol = this.cluster.protocolFor(exchange.protocol);
    this.cluster.requestStarted(this.host);
    const body = exchange.body;
    if (body) {
      body.on('data', () => this.timers.activity());
      body.once('end', () => this.timers.requestComplete());
    } else {
      this.timers.requestComplete();
    }
    exchange.onClose((completed) => {
      if (!completed && !this.done) this.finish({ status: undefined }, true);
    });
    const sni = this.cluster.config.http.autoSni ? stripPortOf(this.state.headers.get(':authority')) : undefined;
    this.upstream = openUpstream(
      { pools: this.cluster.pools, host: this.host, protocol, headers: this.state.headers, body, sni },
      {
        onHeaders: (headers, responseBody) => this.onHeaders(headers, responseBody, protocol === 'HTTP/2'),
        onEnd: (trailers) => {
          if (this.done) return;
          this.state.exchange.end(trailers);
          this.finish({ status: this.status }, false);
        },
        onError: (failure, afterHeaders) => this.onError(failure, afterHeaders),
      },
    );
  }

  private onHeaders(headers: HeaderMap, body: Readable | null, fromHttp2: boolean): void {
    if (this.done) return;
    const { state } = this;
    this.status = Number(headers.get(':status'));
    removeHopByHop(headers);
    if (!this.router.suppressEnvoyHeaders) headers.set('x-envoy-upstream-service-time', String(Date.now() - this.startedAt));
    this.timers.responseStarted();
    state.format.responseHeaders = headers;
    state.format.responseCode = this.status;
    for (const level of levels(this.selection)) level.response.apply(headers, state.format);
    serverHeader(state, headers);
    let sink;
    try {
      sink = state.exchange.respond(headers, body === null, fromHttp2);
    } catch (err) {
      state.log.warn({ err: (err as Error).message }, 'upstream response headers could not be sent downstream');
      this.upstream?.abort();
      state.exchange.reset();
      this.finish({ status: this.status }, true);
      return;
    }
    if (body === null || sink === null) {
      if (body === null) this.finish({ status: this.status }, false);
      else body.resume();
      return;
    }
    body.on('data', () => this.timers.activity());
    body.pipe(sink, { end: false });
  }

  private onError(failure: UpstreamFailure, afterHeaders: boolean): void {
    if (this.done) return;
    const connectFailure = failure.reason === 'connection failure' || failure.reason === 'connection timeout';
    this.finish({ status: undefined, connectFailure }, false);
    if (afterHeaders || this.state.exchange.responseStarted) {
      this.state.exchange.reset();
      return;
    }
    sendLocalReply(this.state, {
      status: 503,
      body: `upstream connect error or disconnect/reset before headers. reset reason: ${failure.reason}`,
      details: `upstream_reset_before_response_started{${failure.reason.replace(/ /g, '_')}}`,
      flag: connectFailure ? 'UF' : failure.reason === 'remote reset' ? 'UR' : 'UC',
    });
  }

  private timedOut(body: string, status: number, details: string, flag: string): void {
    if (this.done) return;
    this.upstream?.abort();
    this.finish({ status: undefined, timeout: flag === 'UT' }, false);
    sendLocalReply(this.state, { status, body, details, flag });
  }

  private finish(outcome: { status?: number; connectFailure?: boolean; timeout?: boolean }, abortUpstream: boolean): void {
    if (this.done) return;
    this.done = true;
    this.timers.clear();
    if (abortUpstream) this.upstream?.abort();
    this.cluster.requestFinished(this.host, outcome);
  }
}

function stripPortOf(authority: string | undefined): string | undefined {
  if (!authority) return undefined;
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(authority);
  return m ? m[1] : authority;
}
