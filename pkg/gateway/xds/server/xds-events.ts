/** What a stream reports about itself: the server's counters, status and the caller's observer. */

export type XdsVariant = 'sotw' | 'delta';

export interface XdsStreamInfo {
  streamId: number;
  nodeId: string;
  /** The node group the stream was resolved to (its snapshot may be the fallback group's). */
  group: string;
  variant: XdsVariant;
}

export interface XdsPushEvent extends XdsStreamInfo {
  typeUrl: string;
  /** SotW: the type's version; delta: the type's version at push time (system_version_info). */
  version: string;
  nonce: string;
  resources: number;
  /** Delta only: names sent in removed_resources. */
  removed: number;
  /** Bytes of the resources' Any values (the bulk of the message). */
  bytes: number;
}

export interface XdsAckEvent extends XdsStreamInfo {
  typeUrl: string;
  version: string;
  nonce: string;
}

export interface XdsNackEvent extends XdsAckEvent {
  /** google.rpc.Status of the client's error_detail. */
  code: number;
  message: string;
}

/** Optional callbacks; they run synchronously on the stream's event, so keep them cheap. */
export interface XdsServerObserver {
  onStreamOpen?(stream: XdsStreamInfo): void;
  onStreamClose?(stream: XdsStreamInfo): void;
  onPush?(event: XdsPushEvent): void;
  onAck?(event: XdsAckEvent): void;
  onNack?(event: XdsNackEvent): void;
  /** A debounced setSnapshot could not be applied (a resource does not encode); the group keeps its last snapshot. */
  onSnapshotError?(event: { group: string; error: Error }): void;
}

/** Per type URL totals since the server started. */
export interface XdsTypeCounters {
  pushes: number;
  acks: number;
  nacks: number;
  /** Resource bytes pushed. */
  bytes: number;
}

/** The protocol state of one type on one stream. */
export interface XdsTypeStatus {
  /** SotW: the version of the last response; delta: the type's version at the last push. */
  sentVersion?: string;
  /** The last version the client ACKed (SotW: what it runs; a NACK leaves it unchanged). */
  ackedVersion?: string;
  lastNack?: { version: string; nonce: string; code: number; message: string; at: Date };
}

export interface XdsStreamStatus extends XdsStreamInfo {
  openedAt: Date;
  types: Record<string, XdsTypeStatus>;
}

/** Counts pushes, ACKs and NACKs per type; cheap enough for every event. */
export class XdsCounters {
  readonly #byType = new Map<string, XdsTypeCounters>();

  push(typeUrl: string, bytes: number): void {
    const c = this.#of(typeUrl);
    c.pushes++;
    c.bytes += bytes;
  }

  ack(typeUrl: string): void {
    this.#of(typeUrl).acks++;
  }

  nack(typeUrl: string): void {
    this.#of(typeUrl).nacks++;
  }

  /** A copy of the totals by type URL. */
  snapshot(): Record<string, XdsTypeCounters> {
    return Object.fromEntries([...this.#byType].map(([t, c]) => [t, { ...c }]));
  }

  #of(typeUrl: string): XdsTypeCounters {
    let c = this.#byType.get(typeUrl);
    if (!c) this.#byType.set(typeUrl, (c = { pushes: 0, acks: 0, nacks: 0, bytes: 0 }));
    return c;
  }
}
