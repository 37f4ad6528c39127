import type { DiscoveryRequest, DiscoveryResponse } from './discovery-messages.ts';
import { resourceSetVersion, typeSnapshot, type Snapshot, type SnapshotResource } from './snapshot.ts';
import { inPushOrder, isRootType, type StreamReporter } from './stream-reporter.ts';

/** One type's subscription and protocol state on a state-of-the-world stream. */
interface SotwTypeState {
  wildcard: boolean;
  names: Set<string>;
  /** Nonce and version of the last response; a request carrying another nonce is stale. */
  lastNonce: string | undefined;
  lastVersion: string | undefined;
  /** The nonce last ACKed or NACKed: a client repeats it on every request until the next response. */
  settledNonce: string | undefined;
}

/**
 * The state-of-the-world side of ADS (StreamAggregatedResources) for one stream. A response's
 * version_info is the hash of exactly what it carries — for a wildcard subscription that is the
 * type's version — so nothing is sent twice: a type is pushed only when what the client asked
 * for changed, and a NACKed content is not offered again until the snapshot moves on.
 */
export class SotwStream {
  readonly #reporter: StreamReporter;
  readonly #send: (response: DiscoveryResponse) => void;
  readonly #types = new Map<string, SotwTypeState>();

  constructor(reporter: StreamReporter, send: (response: DiscoveryResponse) => void) {
    this.#reporter = reporter;
    this.#send = send;
  }

  handleRequest(request: DiscoveryRequest, snapshot: Snapshot | undefined): void {
    const { typeUrl, responseNonce } = request;
    let state = this.#types.get(typeUrl);
    if (responseNonce !== '') {
      // Stale: a newer response is on its way, and the client's answer to it carries its current
      // subscription (every SotW request is complete), so nothing is lost by ignoring this one.
      if (!state || responseNonce !== state.lastNonce) return;
      if (responseNonce !== state.settledNonce) {
        state.settledNonce = responseNonce;
        if (request.errorDetail) {
          this.#reporter.nacked({ typeUrl, version: state.lastVersion ?? '', nonce: responseNonce, error: request.errorDetail });
        } else {
          this.#reporter.acked({ typeUrl, version: request.versionInfo, nonce: responseNonce });
        }
      }
    }
    const first = !state;
    if (!state) {
      state = { wildcard: false, names: new Set(), lastNonce: undefined, lastVersion: undefined, settledNonce: undefined };
      this.#types.set(typeUrl, state);
    }
    // A request without a nonce (re)subscribes: it is answered even if the content is what was last sent.
    if (responseNonce === '') state.lastVersion = undefined;
    const names = request.resourceNames;
    if (names.includes('*')) state.wildcard = true;
    else if (names.length > 0) state.wildcard = false;
    else if (first) state.wildcard = isRootType(typeUrl);
    // (an empty list on a later request keeps a wildcard subscription, else it unsubscribes everything)
    state.names = new Set(names.filter((n) => n !== '*'));
    this.#respond(typeUrl, state, snapshot);
  }

  /** The stream's snapshot changed: push every subscribed type whose content changed, CDS → EDS → LDS → RDS. */
  onSnapshot(snapshot: Snapshot | undefined): void {
    for (const typeUrl of inPushOrder(this.#types.keys())) this.#respond(typeUrl, this.#types.get(typeUrl)!, snapshot);
  }

  #respond(typeUrl: string, state: SotwTypeState, snapshot: Snapshot | undefined): void {
    if (!snapshot) return;
    const type = typeSnapshot(snapshot, typeUrl);
    let resources: SnapshotResource[];
    let version: string;
    if (state.wildcard) {
      // LDS/CDS carry the complete set: a resource missing from it is deleted by the client.
      resources = [...type.resources.values()];
      version = type.version;
    } else {
      if (state.names.size === 0) return;
      resources = [];
      for (const name of state.names) {
        const resource = type.resources.get(name);
        if (resource) resources.push(resource);
        // LDS/CDS asked by name (gRPC clients): leaving a name out tells the client it does not
        // exist, which it must learn to let go of a removed cluster. RDS/EDS: like go-control-plane
        // in ADS mode, wait until every requested name exists, which is how they follow the
        // LDS/CDS that reference them (the client times out missing ones itself).
        else if (!isRootType(typeUrl)) return;
      }
      version = resourceSetVersion(resources);
    }
    if (version === state.lastVersion) return;
    const nonce = this.#reporter.nextNonce();
    state.lastNonce = nonce;
    state.lastVersion = version;
    this.#send({ versionInfo: version, resources: resources.map((r) => r.any), typeUrl, nonce });
    let bytes = 0;
    for (const r of resources) bytes += r.any.value.length;
    this.#reporter.pushed({ typeUrl, version, nonce, resources: resources.length, removed: 0, bytes });
  }
}
