/**
 * Runs async tasks with at most `concurrency` in flight, the rest waiting in FIFO order: binds and
 * events go out in parallel (one round trip each would cap throughput at 1/latency) without opening
 * more requests than the connection pool can carry.
 */
export class BoundedRunner {
  private readonly concurrency: number;
  /** Tasks beyond this many waiting are refused (undefined: no limit). */
  private readonly maxWaiting: number | undefined;
  private readonly waiting: Array<() => Promise<void>> = [];
  private running = 0;
  private readonly idle: Array<() => void> = [];

  constructor(options: { concurrency: number; maxWaiting?: number }) {
    this.concurrency = Math.max(1, options.concurrency);
    this.maxWaiting = options.maxWaiting;
  }

  /** Starts or queues the task; false when the waiting line is full and it was dropped. */
  run(task: () => Promise<void>): boolean {
    if (this.running < this.concurrency) {
      this.start(task);
      return true;
    }
    if (this.maxWaiting !== undefined && this.waiting.length >= this.maxWaiting) return false;
    this.waiting.push(task);
    return true;
  }

  get pending(): number {
    return this.running + this.waiting.length;
  }

  /** Resolves when nothing is running or waiting. */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private start(task: () => Promise<void>): void {
    this.running++;
    // Tasks handle their own errors; a rejection here must not become an unhandled one.
    void task()
      .catch(() => undefined)
      .finally(() => {
        this.running--;
        const next = this.waiting.shift();
        if (next) this.start(next);
        else if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
  }
}
