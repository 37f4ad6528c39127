import { PUSH_ORDER, TypeUrl } from '../envoy-protos.ts';
import type { ErrorDetail } from './discovery-messages.ts';

/**
 * What a protocol state machine (SotW or delta) tells its stream session about; the session turns
 * it into logs, counters, status and observer calls, so the protocols stay pure bookkeeping.
 */
export interface StreamReporter {
  nextNonce(): string;
  pushed(push: { typeUrl: string; version: string; nonce: string; resources: number; removed: number; bytes: number }): void;
  acked(ack: { typeUrl: string; version: string; nonce: string }): void;
  nacked(nack: { typeUrl: string; version: string; nonce: string; error: ErrorDetail }): void;
}

/**
 * LDS and CDS are the roots of a client's configuration (anchors §3.1): a first request without
 * names means "all", and a SotW response carries the complete set asked for, so a name missing
 * from it is deleted. RDS and EDS are fetched by the names the roots reference; a missing one
 * means nothing.
 */
export function isRootType(typeUrl: string): boolean {
  return typeUrl === TypeUrl.Listener || typeUrl === TypeUrl.Cluster;
}

/** Sorts type URLs into the make-before-break order CDS → EDS → LDS → RDS; other types go last. */
export function inPushOrder(typeUrls: Iterable<string>): string[] {
  const rank = (t: string): number => {
    const i = (PUSH_ORDER as readonly string[]).indexOf(t);
    return i < 0 ? PUSH_ORDER.length : i;
  };
  return [...typeUrls].sort((a, b) => rank(a) - rank(b));
}
