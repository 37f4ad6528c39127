import type { Logger } from 'pino';
import type { KubeApi } from './api-client.ts';
import { describeError, statusCodeOf } from './api-errors.ts';
import { watchStream, type RunningWatch, type WatchEnd, type WatchEvent } from './watch-stream.ts';
import type { ApiObject, ObjectList } from './wire.ts';

/** Where a reflector puts what it learns: the informer's cache. */
export interface ReflectorStore<T> {
  /** A full list: afterwards the store must hold exactly these objects. */
  replace(items: T[]): void;
  /** ADDED or MODIFIED. */
  upsert(obj: T): void;
  remove(obj: T): void;
}

export interface ReflectorOptions<T> {
  api: KubeApi;
  /** The collection path (`/api/v1/namespaces/ns/pods`). */
  path: string;
  labelSelector?: string;
  /** Server-side field selection (pods by `spec.nodeName`, as the kubelet watches its own pods). */
  fieldSelector?: string;
  store: ReflectorStore<T>;
  /** timeoutSeconds of each watch request; default 5–10 min at random, as client-go (spreads reconnects). */
  watchTimeoutSeconds?: number;
  log: Logger;
}

/** Reconnect backoff after a failed list or watch (client-go's reflector: 800 ms … 30 s). */
const RETRY_MIN_MS = 800;
const RETRY_MAX_MS = 30_000;
/** client-go's minWatchTimeout: watches last 1–2 times this. */
const MIN_WATCH_TIMEOUT_S = 300;
/** How long past its timeoutSeconds a watch may stay open before the client gives up on it. */
const WATCH_TIMEOUT_GRACE_MS = 30_000;

/**
 * client-go's reflector: list, then watch from the list's resourceVersion with bookmarks. A watch
 * that ends cleanly (server timeout) or times out on the client is resumed from the last
 * resourceVersion seen (bookmarks move it) without listing again; 410 Gone (in-stream ERROR or
 * HTTP) relists at once; any other failure — a broken stream, an error answer, a line that is not
 * a watch event — relists after a backoff, with the store kept meanwhile.
 */
export class Reflector<T extends ApiObject> {
  private readonly opts: ReflectorOptions<T>;
  private readonly log: Logger;
  private running = false;
  /** Bumped by every list/watch attempt and by stop(): callbacks of older attempts are ignored. */
  private attempt = 0;
  private resourceVersion = '';
  private retryDelayMs = 0;
  private retryTimer?: NodeJS.Timeout;
  private watchTimer?: NodeJS.Timeout;
  private watch?: RunningWatch;

  constructor(opts: ReflectorOptions<T>) {
    this.opts = opts;
    this.log = opts.log;
  }

  /** Resolves after the first list was stored (true) or failed (false; retries continue). */
  start(): Promise<boolean> {
    this.running = true;
    return this.relist();
  }

  stop(): void {
    this.running = false;
    this.attempt++;
    clearTimeout(this.retryTimer);
    this.closeWatch();
  }

  private async relist(): Promise<boolean> {
    const attempt = ++this.attempt;
    this.closeWatch();
    let list: ObjectList<T>;
    try {
      list = await this.opts.api.request<ObjectList<T>>('GET', this.opts.path, { query: { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector } });
    } catch (err) {
      if (attempt === this.attempt) this.retryAfterBackoff(err);
      return false;
    }
    if (attempt !== this.attempt) return false;
    this.opts.store.replace(list.items ?? []);
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    this.startWatch();
    return true;
  }

  private startWatch(): void {
    const attempt = ++this.attempt;
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? MIN_WATCH_TIMEOUT_S + Math.floor(Math.random() * MIN_WATCH_TIMEOUT_S);
    const query = { resourceVersion: this.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector };
    const openedAt = Date.now();
    const callbacks = {
      onEvent: (event: WatchEvent<T>) => {
        if (attempt === this.attempt) this.onEvent(event);
      },
      onEnd: (end: WatchEnd) => {
        if (attempt === this.attempt) this.onWatchEnd(end, Date.now() - openedAt);
      },
    };
    watchStream<T>(this.opts.api, this.opts.path, query, callbacks).then(
      (watch) => {
        if (attempt === this.attempt) this.watch = watch;
        else watch.stop();
      },
      (err: unknown) => {
        if (attempt === this.attempt) this.retryAfterBackoff(err);
      },
    );
    // The server ends the watch after timeoutSeconds; one that outlives that by far is stuck (a
    // half-open connection): drop it and resume, as after a clean end.
    this.watchTimer = setTimeout(() => {
      if (attempt !== this.attempt) return;
      this.log.debug({ timeoutSeconds }, 'watch outlived its timeout; watching again');
      this.closeWatch();
      this.startWatch();
    }, timeoutSeconds * 1000 + WATCH_TIMEOUT_GRACE_MS);
    this.watchTimer.unref();
  }

  private onEvent(event: WatchEvent<T>): void {
    const obj = event.object;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.opts.store.upsert(obj);
        break;
      case 'DELETED':
        this.opts.store.remove(obj);
        break;
      case 'BOOKMARK':
        break;
      case 'ERROR':
        return this.onErrorEvent(obj as { code?: number; message?: string });
      default:
        return this.failWatch(new Error(`watch sent an event of unknown type ${JSON.stringify(event.type)}`));
    }
    this.retryDelayMs = 0;
    this.resourceVersion = obj.metadata?.resourceVersion ?? this.resourceVersion;
  }

  private onErrorEvent(status: { code?: number; message?: string }): void {
    if (status.code === 410) {
      this.log.debug({ message: status.message }, 'watch history expired; relisting');
      void this.relist();
      return;
    }
    this.failWatch(new Error(`watch error ${status.code ?? '?'}: ${status.message ?? JSON.stringify(status)}`));
  }

  private onWatchEnd(end: WatchEnd, livedMs: number): void {
    if (end.kind === 'failed') {
      if (statusCodeOf(end.err) === 410) void this.relist();
      else this.failWatch(end.err);
      return;
    }
    // A server that ends every watch at once must not make us hammer it.
    if (livedMs < RETRY_MIN_MS) this.closeWatchAndRetry(() => this.startWatch());
    else {
      this.closeWatch();
      this.startWatch();
    }
  }

  private failWatch(err: unknown): void {
    this.closeWatch();
    this.retryAfterBackoff(err);
  }

  /** Keeps the store and relists after a growing delay; the warning is what an operator sees. */
  private retryAfterBackoff(err: unknown): void {
    if (!this.running) return;
    this.closeWatchAndRetry(() => void this.relist(), err);
  }

  private closeWatchAndRetry(retry: () => void, err?: unknown): void {
    this.closeWatch();
    const attempt = ++this.attempt;
    this.retryDelayMs = Math.min(this.retryDelayMs > 0 ? this.retryDelayMs * 2 : RETRY_MIN_MS, RETRY_MAX_MS);
    if (err !== undefined) this.log.warn({ err: describeError(err), retryInMs: this.retryDelayMs }, 'list/watch failed; retrying');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.running && attempt === this.attempt) retry();
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }

  private closeWatch(): void {
    clearTimeout(this.watchTimer);
    this.watchTimer = undefined;
    this.watch?.stop();
    this.watch = undefined;
  }
}
