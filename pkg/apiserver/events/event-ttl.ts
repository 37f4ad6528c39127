import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.ts';
import { serializeAt } from '../registry/serialize.ts';
import { KeyNotFoundError, RevisionMismatchError, type StorageEvent, type Store, type WatchHandle } from '../storage/types.ts';
import { DeadlineQueue } from './deadline-queue.ts';
import { estimateLastWriteMs } from './last-write.ts';

export interface EventTtlOptions {
  store: Store;
  /** Storage prefix of Events (`/registry/core/events/`; events.k8s.io/v1 is stored there too). */
  prefix: string;
  ttlMs: number;
  log: Logger;
  /** Milliseconds since the epoch, monotonic (default: performance.timeOrigin + performance.now()). */
  clock?: () => number;
  /** Deletions per event-loop turn, so a mass expiry (e.g. after a long downtime) never stalls requests. */
  batchSize?: number;
}

/** A failed expiry (storage error) is retried this much later (or after a TTL, if shorter). */
const RETRY_MS = 10_000;

/** setTimeout's largest delay; a longer TTL simply wakes up early and re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Deletes Events a TTL after their last write, like kube-apiserver's --event-ttl (there every
 * write of an Event attaches a fresh etcd lease). It follows every write under the Events prefix
 * through a store watch, so the deadline moves with each create/update whichever API made it; on
 * start it rebuilds the deadlines from the stored Events (see estimateLastWriteMs for what a
 * restart can and cannot know).
 *
 * Expiry deletes through the store, as a lease expiry deletes the etcd key: finalizers do not
 * hold it and watchers (clients and the server's own controllers) see DELETED. The delete is
 * conditional on the revision that was expired, so a write racing the expiry wins.
 */
export class EventTtlController {
  readonly #store: Store;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #log: Logger;
  readonly #clock: () => number;
  readonly #batchSize: number;
  readonly #queue = new DeadlineQueue<string>();
  #watch: WatchHandle | undefined;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #stopped = false;

  constructor(opts: EventTtlOptions) {
    if (!(opts.ttlMs > 0)) throw new Error(`event TTL must be positive, got ${opts.ttlMs} ms`);
    this.#store = opts.store;
    this.#prefix = opts.prefix;
    this.#ttlMs = opts.ttlMs;
    this.#log = opts.log;
    this.#clock = opts.clock ?? (() => performance.timeOrigin + performance.now());
    this.#batchSize = opts.batchSize ?? 500;
  }

  /** Events currently tracked (for tests and diagnostics). */
  get tracked(): number {
    return this.#queue.size;
  }

  /** The deadline (ms since the epoch) of the Event stored under `key`, if tracked. */
  deadlineOf(key: string): number | undefined {
    return this.#queue.deadlineOf(key);
  }

  start(): void {
    const now = this.#clock();
    const listed = this.#store.list(this.#prefix);
    const restored: Array<{ key: string; deadline: number }> = [];
    for (const entry of listed.items) {
      let deadline = now;
      try {
        deadline = estimateLastWriteMs(JSON.parse(entry.value) as KubeObject, now) + this.#ttlMs;
      } catch (err) {
        this.#log.warn({ err, key: entry.key }, 'unreadable stored event: expiring it a full TTL from now');
        deadline = now + this.#ttlMs;
      }
      restored.push({ key: entry.key, deadline });
    }
    restored.sort((a, b) => a.deadline - b.deadline);
    for (const { key, deadline } of restored) this.#queue.set(key, deadline);
    // Synchronous with the list above: no write can slip in between.
    this.#watch = this.#store.watch(this.#prefix, listed.revision, (e) => this.#onWrite(e));
    if (restored.length > 0) this.#log.info({ events: restored.length, ttlSeconds: this.#ttlMs / 1000 }, 'event TTL deadlines restored');
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    this.#watch?.stop();
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }

  #onWrite(e: StorageEvent): void {
    if (e.type === 'DELETED') this.#queue.delete(e.key);
    else this.#queue.set(e.key, this.#clock() + this.#ttlMs);
    this.#arm();
  }

  /** One timer for the earliest deadline; renewing the head just makes it fire early and re-arm. */
  #arm(): void {
    if (this.#stopped || this.#timer || this.#immediate) return;
    const next = this.#queue.nextDeadline();
    if (next === undefined) return;
    const delay = Math.min(Math.max(0, next - this.#clock()), MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#expireDue();
    }, delay);
    this.#timer.unref();
  }

  #expireDue(): void {
    if (this.#stopped) return;
    const due = this.#queue.takeExpired(this.#clock(), this.#batchSize);
    for (const key of due) this.#expire(key);
    if (due.length === this.#batchSize) {
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        this.#expireDue();
      });
      return;
    }
    this.#arm();
  }

  #expire(key: string): void {
    const entry = this.#store.get(key);
    if (!entry) return;
    try {
      this.#store.delete(key, entry.modRevision, (rev) => serializeAt(JSON.parse(entry.value) as KubeObject, rev));
    } catch (err) {
      // Written or deleted since: that write scheduled (or ended) its own deadline.
      if (err instanceof RevisionMismatchError || err instanceof KeyNotFoundError) return;
      this.#log.error({ err, key }, 'event TTL: deleting an expired event failed; will retry');
      this.#queue.set(key, this.#clock() + Math.min(this.#ttlMs, RETRY_MS));
    }
  }
}
