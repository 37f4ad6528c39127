import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from './discovery-messages.ts';
import { typeSnapshot, type Snapshot, type SnapshotResource } from './snapshot.ts';
import { inPushOrder, isRootType, type StreamReporter } from './stream-reporter.ts';

/** One type's subscription and what the client holds, on an incremental stream. */
interface DeltaTypeState {
  wildcard: boolean;
  names: Set<string>;
  /** Resource name → the version the client has (initial_resource_versions, then what was sent). */
  known: Map<string, string>;
  /** Responses not (N)ACKed yet: nonce → the type's version when it was pushed. */
  inFlight: Map<string, string>;
}

/**
 * The incremental side of ADS (DeltaAggregatedResources) for one stream: only resources whose
 * version (the hash of their bytes) differs from what the client holds are sent, deletions go in
 * removed_resources, and every response has its own nonce for the client's ACK or NACK.
 */
export class DeltaStream {
  readonly #reporter: StreamReporter;
  readonly #send: (response: DeltaDiscoveryResponse) => void;
  readonly #types = new Map<string, DeltaTypeState>();

  constructor(reporter: StreamReporter, send: (response: DeltaDiscoveryResponse) => void) {
    this.#reporter = reporter;
    this.#send = send;
  }

  handleRequest(request: DeltaDiscoveryRequest, snapshot: Snapshot | undefined): void {
    const { typeUrl, responseNonce } = request;
    let state = this.#types.get(typeUrl);
    const first = !state;
    if (!state) {
      state = { wildcard: false, names: new Set(), known: new Map(Object.entries(request.initialResourceVersions)), inFlight: new Map() };
      this.#types.set(typeUrl, state);
    }
    if (responseNonce !== '') this.#settle(typeUrl, state, request);
    // Unlike SotW, a request with a stale nonce is not ignored: its (un)subscriptions are deltas
    // that no later request repeats.
    const subscribe = request.resourceNamesSubscribe;
    if (first && subscribe.length === 0 && isRootType(typeUrl)) state.wildcard = true;
    for (const name of subscribe) {
      if (name === '*') state.wildcard = true;
      else state.names.add(name);
    }
    for (const name of request.resourceNamesUnsubscribe) {
      if (name === '*') state.wildcard = false;
      else state.names.delete(name);
    }
    // The client drops what it no longer subscribes to; if it subscribes again it must get it again.
    if (!state.wildcard) for (const name of state.known.keys()) if (!state.names.has(name)) state.known.delete(name);
    this.#respond(typeUrl, state, snapshot);
  }

  /** The stream's snapshot changed: send the differences per subscribed type, CDS → EDS → LDS → RDS. */
  onSnapshot(snapshot: Snapshot | undefined): void {
    for (const typeUrl of inPushOrder(this.#types.keys())) this.#respond(typeUrl, this.#types.get(typeUrl)!, snapshot);
  }

  /** An ACK or NACK of one of our responses; an unknown nonce (stale, or never sent) settles nothing. */
  #settle(typeUrl: string, state: DeltaTypeState, request: DeltaDiscoveryRequest): void {
    const nonce = request.responseNonce;
    const version = state.inFlight.get(nonce);
    if (version === undefined) return;
    // The client answers responses in order: older unanswered ones are superseded.
    for (const pending of state.inFlight.keys()) {
      state.inFlight.delete(pending);
      if (pending === nonce) break;
    }
    if (request.errorDetail) this.#reporter.nacked({ typeUrl, version, nonce, error: request.errorDetail });
    else this.#reporter.acked({ typeUrl, version, nonce });
  }

  #respond(typeUrl: string, state: DeltaTypeState, snapshot: Snapshot | undefined): void {
    if (!snapshot) return;
    const type = typeSnapshot(snapshot, typeUrl);
    const changed: SnapshotResource[] = [];
    const removed: string[] = [];
    const consider = (resource: SnapshotResource): void => {
      if (state.known.get(resource.name) !== resource.version) changed.push(resource);
    };
    if (state.wildcard) for (const resource of type.resources.values()) consider(resource);
    else {
      for (const name of state.names) {
        const resource = type.resources.get(name);
        if (resource) consider(resource);
      }
    }
    for (const name of state.known.keys()) if (!type.resources.has(name)) removed.push(name);
    if (changed.length === 0 && removed.length === 0) return;
    for (const resource of changed) state.known.set(resource.name, resource.version);
    for (const name of removed) state.known.delete(name);
    const nonce = this.#reporter.nextNonce();
    state.inFlight.set(nonce, type.version);
    this.#send({
      systemVersionInfo: type.version,
      resources: changed.map((r) => ({ name: r.name, version: r.version, resource: r.any })),
      typeUrl,
      removedResources: removed,
      nonce,
    });
    let bytes = 0;
    for (const r of changed) bytes += r.any.value.length;
    this.#reporter.pushed({ typeUrl, version: type.version, nonce, resources: changed.length, removed: removed.length, bytes });
  }
}
