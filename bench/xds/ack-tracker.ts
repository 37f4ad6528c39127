/**
 * The benchmark's clock on the control plane: an XdsServerObserver that stamps every push and ACK
 * per stream with performance.now(), so "change → ACK" is measured where the gateway itself waits
 * for it (pkg/gateway/xds-acks.ts), whichever process the client runs in.
 */
import type { XdsAckEvent, XdsNackEvent, XdsPushEvent, XdsServerObserver, XdsStreamInfo } from '../../pkg/gateway/xds/server/index.ts';

interface Stamp {
  version: string;
  at: number;
}

interface StreamRecord {
  info: XdsStreamInfo;
  /** The last push / ACK per type URL. */
  pushed: Map<string, Stamp & { bytes: number }>;
  acked: Map<string, Stamp>;
}

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
}

/** Type URL → version every stream of interest must have ACKed. */
export type ExpectedVersions = ReadonlyMap<string, string>;

export class AckTracker implements XdsServerObserver {
  readonly #streams = new Map<number, StreamRecord>();
  readonly #waiters = new Set<Waiter>();
  readonly nacks: XdsNackEvent[] = [];

  onStreamOpen(info: XdsStreamInfo): void {
    this.#streams.set(info.streamId, { info, pushed: new Map(), acked: new Map() });
    this.#wake();
  }

  onStreamClose(info: XdsStreamInfo): void {
    this.#streams.delete(info.streamId);
  }

  onPush(event: XdsPushEvent): void {
    this.#streams.get(event.streamId)?.pushed.set(event.typeUrl, { version: event.version, at: performance.now(), bytes: event.bytes });
  }

  onAck(event: XdsAckEvent): void {
    const stream = this.#streams.get(event.streamId);
    if (!stream) return;
    stream.acked.set(event.typeUrl, { version: event.version, at: performance.now() });
    this.#wake();
  }

  onNack(event: XdsNackEvent): void {
    this.nacks.push(event);
    this.#wake();
  }

  openStreams(): number {
    return this.#streams.size;
  }

  /** Whether every open stream has ACKed every expected type at its version. */
  allAcked(expected: ExpectedVersions): boolean {
    for (const stream of this.#streams.values()) {
      for (const [typeUrl, version] of expected) if (stream.acked.get(typeUrl)?.version !== version) return false;
    }
    return true;
  }

  /** Per open stream: when it ACKed `version` of `typeUrl` and when that was pushed to it. */
  stamps(typeUrl: string, version: string): Array<{ streamId: number; pushedAt: number; ackedAt: number; bytes: number }> {
    const out = [];
    for (const [streamId, stream] of this.#streams) {
      const acked = stream.acked.get(typeUrl);
      const pushed = stream.pushed.get(typeUrl);
      if (acked?.version !== version || pushed?.version !== version) continue;
      out.push({ streamId, pushedAt: pushed.at, ackedAt: acked.at, bytes: pushed.bytes });
    }
    return out;
  }

  /** Resolves once `ready()` holds (checked after every stream event), rejects after `timeoutMs` with `what()`. */
  waitFor(ready: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        ready,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`not within ${timeoutMs} ms: ${what()}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** What each stream has ACKed, for a timeout message. */
  describe(expected: ExpectedVersions): string {
    const short = (t: string) => t.slice(t.lastIndexOf('.') + 1);
    const lines = [...this.#streams.values()].slice(0, 5).map((s) => {
      const types = [...expected].map(([t, v]) => `${short(t)} ${s.acked.get(t)?.version === v ? 'ok' : `acked ${s.acked.get(t)?.version ?? '-'} want ${v}`}`);
      return `stream ${s.info.streamId} (${s.info.nodeId}): ${types.join(', ')}`;
    });
    const nacks = this.nacks.slice(-3).map((n) => `NACK ${short(n.typeUrl)}: ${n.message}`);
    return [`${this.#streams.size} streams open`, ...lines, ...nacks].join('; ');
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) {
      if (!waiter.ready()) continue;
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }
}
