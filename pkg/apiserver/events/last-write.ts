import { isPlainObject, type KubeObject } from '../api/object.ts';

/**
 * When was this stored Event (core/v1 shape) last written, as far as the object itself tells?
 *
 * The TTL runs from an Event's last write (every create/update renews its lease on Kubernetes).
 * While the server runs it sees every write; after a restart the write times are gone (the store
 * keeps no clock), so they are estimated from the latest of the times the object carries:
 *
 * - metadata.creationTimestamp and managedFields[].time: set by the server at a write;
 * - lastTimestamp, eventTime, series.lastObservedTime (and firstTimestamp): set by the recording
 *   client, which bumps them on each write it makes (count/series updates).
 *
 * Second-precision times (RFC 3339 without fraction) are read as the END of their second: the
 * write happened somewhere within it, and the estimate must not move the deadline earlier than
 * the true one could be. The estimate never exceeds `now`: a client clock ahead of ours must not
 * keep an event for longer than a full TTL from the restart, which is the most its true
 * remaining lifetime can be. So after a restart an event expires no earlier than its newest
 * timestamp + TTL and no later than restart + TTL. An update that touched none of these times
 * (e.g. only a label, by a manager that already owned it) is invisible, and such an event may go
 * up to that much earlier than it would have without the restart.
 */
export function estimateLastWriteMs(event: KubeObject, nowMs: number): number {
  let latest = Number.NEGATIVE_INFINITY;
  const consider = (value: unknown) => {
    if (typeof value !== 'string' || value === '') return;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return;
    const end = hasFraction(value) ? ms : ms + 999;
    if (end > latest) latest = end;
  };
  consider(event.metadata.creationTimestamp);
  for (const entry of event.metadata.managedFields ?? []) consider(entry.time);
  consider(event['lastTimestamp']);
  consider(event['firstTimestamp']);
  consider(event['eventTime']);
  const series = event['series'];
  if (isPlainObject(series)) consider(series['lastObservedTime']);
  // Nothing usable (hand-written data): treat it as written just now rather than expire it at once.
  if (latest === Number.NEGATIVE_INFINITY) return nowMs;
  return Math.min(latest, nowMs);
}

/** "2026-01-02T03:04:05.123456Z" has a fraction; "2026-01-02T03:04:05Z" does not. */
function hasFraction(time: string): boolean {
  return /T\d\d:\d\d:\d\d\./.test(time);
}
