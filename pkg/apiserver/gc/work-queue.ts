/**
 * A controller's queue of keys to reconcile, like client-go's rate-limited work queue: a key is
 * queued at most once however often it is added, keys are processed after the current event
 * handler returns (never from inside a storage write), a bounded batch per turn of the event loop
 * so API requests keep being served, and a key whose processing throws comes back after an
 * exponential backoff.
 */
export interface WorkQueueOptions {
  /** Reconciles one key; throwing requeues it with backoff. */
  process: (key: string) => void;
  onError: (key: string, err: unknown, attempt: number) => void;
  /** Keys processed per turn of the event loop (default 100). */
  batchSize?: number;
  /** First retry delay in ms (default 50), doubled per failure up to maxDelayMs (default 10 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class WorkQueue {
  private readonly opts: WorkQueueOptions;
  private readonly queued = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private scheduled = false;
  private stopped = false;

  constructor(opts: WorkQueueOptions) {
    this.opts = opts;
  }

  add(key: string): void {
    if (this.stopped) return;
    this.queued.add(key);
    this.schedule();
  }

  /** Adds `key` after `ms`; when it is already due sooner, that stays (the earliest due time wins). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const due = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending) {
      if (pending.due <= due) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { timer, due });
  }

  /** Nothing queued and nothing waiting for a retry. */
  get idle(): boolean {
    return this.queued.size === 0 && this.timers.size === 0;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    this.queued.clear();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    if (this.stopped) return;
    let budget = this.opts.batchSize ?? 100;
    for (const key of this.queued) {
      if (budget-- <= 0) break;
      this.queued.delete(key);
      try {
        this.opts.process(key);
        this.failures.delete(key);
      } catch (err) {
        const attempt = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, attempt);
        this.opts.onError(key, err, attempt);
        const delay = Math.min((this.opts.baseDelayMs ?? 50) * 2 ** (attempt - 1), this.opts.maxDelayMs ?? 10_000);
        this.addAfter(key, delay);
      }
    }
    if (this.queued.size > 0) this.schedule();
  }
}
