import { type Body, headerIfAbsent, overwriteHeader } from './envoy-values.ts';

/**
 * Response headers Kuscia adds on both route configurations: no proxy buffering of streamed
 * responses (`X-Accel-Buffering: no`, for nginx-style proxies between gateways), and the request's
 * trace ids echoed back so callers can correlate.
 */
export function commonResponseHeaders(): Body[] {
  return [
    overwriteHeader('X-Accel-Buffering', 'no'),
    headerIfAbsent('x-b3-traceid', '%REQ(x-b3-traceid)%'),
    headerIfAbsent('x-b3-spanid', '%REQ(x-b3-spanid)%'),
  ];
}
