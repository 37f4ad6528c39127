import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { UserInfo } from '../auth/user-info.ts';
import type { RequestInfo } from '../http/request-info.ts';

/**
 * One line per request, with what an operator needs to tell who did what and how it went. Built
 * only from the request line and the authenticated identity: never headers other than the
 * User-Agent (so never Authorization), never the query string or a body (which may carry tokens
 * or Secret data).
 */
export interface RequestLogLine {
  user?: string;
  verb: string;
  resource?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Non-resource requests only: the path without its query. */
  path?: string;
  code: number;
  ms: number;
  userAgent?: string;
}

/** A User-Agent is client-chosen text: keep a log line bounded. */
const MAX_USER_AGENT = 256;

export function requestLogLine(req: IncomingMessage, path: string, info: RequestInfo | undefined, user: UserInfo | undefined, code: number, ms: number): RequestLogLine {
  const ua = req.headers['user-agent'];
  const userAgent = ua === undefined || ua.length <= MAX_USER_AGENT ? ua : ua.slice(0, MAX_USER_AGENT);
  const line: RequestLogLine = { user: user?.username, verb: info?.verb ?? (req.method ?? '').toLowerCase(), code, ms, userAgent };
  if (info?.isResourceRequest) {
    line.resource = info.group ? `${info.resource}.${info.group}` : info.resource;
    if (info.namespace) line.namespace = info.namespace;
    if (info.name) line.name = info.name;
    if (info.subresource) line.subresource = info.subresource;
  } else {
    line.path = path;
  }
  return line;
}

/** Writes and errors (>= 400) at info, successful reads at debug (they dominate and are rarely interesting). */
export function requestLogLevel(mutating: boolean, code: number): 'info' | 'debug' {
  return mutating || code >= 400 ? 'info' : 'debug';
}

export function writeRequestLog(log: Logger, level: 'info' | 'debug', line: RequestLogLine): void {
  log[level](line, 'request');
}
