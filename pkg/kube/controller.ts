import type { ApiObject } from './wire.ts';
import type { Logger } from 'pino';
import { describeError } from './api-errors.ts';
import { objectKey, splitObjectKey } from './object-key.ts';
import { RateLimitingQueue } from './work-queue.ts';

export interface ControllerOptions {
  /** Logged as `component`. */
  name: string;
  /** Brings the object named by `namespace/name` to its desired state; must be idempotent. Throw to retry. */
  reconcile: (key: string) => Promise<void>;
  log: Logger;
  /** Parallel reconciles (Kuscia: 4). One key is never reconciled by two workers at once. */
  workers?: number;
  /**
   * Requeues allowed after failures before `onMaxRetries` is called (Kuscia: 3, then the job or task is
   * force-failed with the last error). Without a hook a failing key is retried forever with backoff.
   */
  maxRetries?: number;
  onMaxRetries?: (key: string, lastError: unknown) => Promise<void>;
  queue?: RateLimitingQueue;
}

/**
 * client-go's controller loop: event handlers `enqueue` keys, N workers take them from a rate-limited
 * queue and reconcile; a failure requeues with per-key backoff, a success forgets the backoff.
 */
export class Controller {
  readonly queue: RateLimitingQueue;
  private readonly opts: ControllerOptions;
  private readonly log: Logger;
  private workers: Promise<void>[] = [];

  constructor(opts: ControllerOptions) {
    this.opts = opts;
    this.queue = opts.queue ?? new RateLimitingQueue();
    this.log = opts.log.child({ component: opts.name });
  }

  /** For event handlers: queue an object (or a key) for reconciliation. */
  enqueue(objOrKey: ApiObject | string): void {
    this.queue.add(typeof objOrKey === 'string' ? objOrKey : objectKey(objOrKey));
  }

  run(): void {
    if (this.workers.length > 0) return;
    const n = this.opts.workers ?? 4;
    this.log.info({ workers: n }, 'controller started');
    this.workers = Array.from({ length: n }, () => this.worker());
  }

  /** Stops taking keys, lets reconciles in flight finish and waits for the workers to exit. */
  async stop(): Promise<void> {
    await this.queue.shutDownWithDrain();
    await Promise.all(this.workers);
    this.workers = [];
    this.log.info('controller stopped');
  }

  private async worker(): Promise<void> {
    for (;;) {
      const { key, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        await this.process(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async process(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    const log = this.log.child({ namespace: namespace || undefined, name });
    const started = performance.now();
    try {
      await this.opts.reconcile(key);
      this.queue.forget(key);
      log.debug({ ms: Math.round(performance.now() - started) }, 'reconciled');
      return;
    } catch (err) {
      const requeues = this.queue.numRequeues(key);
      const { maxRetries, onMaxRetries } = this.opts;
      if (onMaxRetries && maxRetries !== undefined && requeues >= maxRetries) {
        log.warn({ err: describeError(err), requeues }, 'reconcile failed after max retries; giving up');
        this.queue.forget(key);
        await this.giveUp(key, err, log);
        return;
      }
      log.warn({ err: describeError(err), requeues }, 'reconcile failed; requeued with backoff');
      this.queue.addRateLimited(key);
    }
  }

  private async giveUp(key: string, err: unknown, log: Logger): Promise<void> {
    try {
      await this.opts.onMaxRetries?.(key, err);
    } catch (hookErr) {
      // The hook writes a status too; if that fails the key gets the ordinary backoff again.
      log.error({ err: describeError(hookErr) }, 'max-retries hook failed; requeued');
      this.queue.addRateLimited(key);
    }
  }
}
