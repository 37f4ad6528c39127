import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { UserInfo } from '../auth/user-info.ts';
import type { RequestInfo, ResourceRequestInfo } from '../http/request-info.ts';
import type { ApiServerMetrics } from '../metrics/apiserver-metrics.ts';
import { isMutatingMethod, requestLabels, type RequestLabels } from '../metrics/request-labels.ts';
import { requestLogLevel, requestLogLine, writeRequestLog } from './request-log.ts';

export interface RequestAccountingOptions {
  metrics: ApiServerMetrics;
  /** The apiserver logger; request lines go out at info (writes, errors) or debug (reads). */
  log: Logger;
  /**
   * Whether a resource request addresses a served resource (and subresource). Others are counted
   * with empty resource labels, so a client requesting made-up resources cannot add series.
   */
  isServed(info: ResourceRequestInfo): boolean;
}

/**
 * What the server records about each request when it ends: the request metrics and the request log
 * line. A watch ends when its stream closes, not when its handler returns: it is counted as
 * long-running while open, then counted and logged (with its whole duration, as kube-apiserver
 * does) when it closes.
 */
export class RequestAccounting {
  readonly #metrics: ApiServerMetrics;
  readonly #log: Logger;
  readonly #isServed: (info: ResourceRequestInfo) => boolean;

  constructor(opts: RequestAccountingOptions) {
    this.#metrics = opts.metrics;
    this.#log = opts.log;
    this.#isServed = opts.isServed;
  }

  /** Call when the request enters the handler; `finish` must follow exactly once. */
  begin(req: IncomingMessage): void {
    this.#metrics.requestStarted(isMutatingMethod(req.method));
  }

  /** `startedMs` is the performance.now() of arrival; `info`/`user` as far as the request got. */
  finish(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo | undefined, user: UserInfo | undefined, startedMs: number): void {
    const mutating = isMutatingMethod(req.method);
    this.#metrics.requestEnded(mutating);
    const labelInfo = info?.isResourceRequest && !this.#isServed(info) ? undefined : info;
    const labels = requestLabels(labelInfo, { method: req.method ?? 'GET', contentType: req.headers['content-type'], search: url.search, query: url.searchParams });

    if (info?.isResourceRequest && info.verb === 'watch' && res.statusCode === 200 && !res.writableEnded && !res.destroyed) {
      const ended = this.#metrics.longRunningStarted(labels);
      res.once('close', () => {
        ended();
        this.#record(req, res, url, info, user, startedMs, labels, mutating);
      });
      return;
    }
    this.#record(req, res, url, info, user, startedMs, labels, mutating);
  }

  #record(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo | undefined, user: UserInfo | undefined, startedMs: number, labels: RequestLabels, mutating: boolean): void {
    const ms = performance.now() - startedMs;
    const code = res.statusCode;
    this.#metrics.recordRequest(labels, code, ms / 1000);
    const level = requestLogLevel(mutating, code);
    if (this.#log.isLevelEnabled(level)) writeRequestLog(this.#log, level, requestLogLine(req, url.pathname, info, user, code, Math.round(ms * 10) / 10));
  }
}
