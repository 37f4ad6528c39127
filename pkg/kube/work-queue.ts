import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

export interface QueueItem {
  key: string;
  /** True when the queue is shut down and empty: the worker should exit. */
  shutdown: boolean;
}

/**
 * client-go's rate-limited work queue for `namespace/name` keys:
 * - a key is queued at most once however often it is added (the `dirty` set);
 * - a key being processed (`get` … `done`) is never handed to a second worker; adding it meanwhile
 *   marks it dirty and it is queued again when `done` is called;
 * - `addRateLimited` requeues after the limiter's delay (per-item exponential backoff plus an overall
 *   bucket); `forget` resets the item's backoff once it succeeds;
 * - `shutDown` wakes every waiting worker; remaining keys are still handed out, then `shutdown: true`.
 */
export class RateLimitingQueue {
  private readonly limiter: RateLimiter;
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiters: Array<(item: QueueItem) => void> = [];
  private readonly delayed = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private readonly drained: Array<() => void> = [];
  private shuttingDown = false;

  constructor(limiter: RateLimiter = defaultControllerRateLimiter()) {
    this.limiter = limiter;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** Adds `key` after `ms`; an earlier pending due time for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const due = Date.now() + ms;
    const pending = this.delayed.get(key);
    if (pending) {
      if (pending.due <= due) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    // A pending retry must not keep a process alive that has nothing else to do.
    timer.unref();
    this.delayed.set(key, { timer, due });
  }

  addRateLimited(key: string): void {
    this.addAfter(key, this.limiter.when(key));
  }

  forget(key: string): void {
    this.limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.limiter.numRequeues(key);
  }

  /** Waits for the next key and marks it processing; call `done` with it afterwards. */
  get(): Promise<QueueItem> {
    const next = this.take();
    if (next) return Promise.resolve(next);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.push(key);
    if (this.processing.size === 0 && this.shuttingDown) this.notifyDrained();
  }

  /** Keys waiting to be handed out (not counting delayed or processing ones). */
  get length(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops accepting keys, drops pending retries and releases every waiting worker. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    for (const resolve of this.waiters.splice(0)) resolve(this.take() ?? { key: '', shutdown: true });
    if (this.processing.size === 0) this.notifyDrained();
  }

  /** shutDown, then resolves once every key handed out has been marked done. */
  shutDownWithDrain(): Promise<void> {
    const drained = new Promise<void>((resolve) => this.drained.push(resolve));
    this.shutDown();
    return drained;
  }

  private push(key: string): void {
    this.queue.push(key);
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.take() as QueueItem);
  }

  private take(): QueueItem | undefined {
    const key = this.queue.shift();
    if (key === undefined) return this.shuttingDown ? { key: '', shutdown: true } : undefined;
    this.processing.add(key);
    this.dirty.delete(key);
    return { key, shutdown: false };
  }

  private notifyDrained(): void {
    for (const resolve of this.drained.splice(0)) resolve();
  }
}
