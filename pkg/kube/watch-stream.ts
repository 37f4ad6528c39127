import { ApiException } from '@kubernetes/client-node';
import type { KubeApi, OpenStream, Query, StreamHandler } from './api-client.ts';

/** One line of a watch: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (object is then a Status). */
export interface WatchEvent<T = unknown> {
  type: string;
  object: T;
}

/** Why a watch stream ended (never reported after stop()). */
export type WatchEnd =
  /** The server closed the stream (its timeoutSeconds passed, or it shut down): watch again from the last resourceVersion. */
  | { kind: 'closed' }
  /** The stream broke, answered non-2xx, or sent something that is not a watch event. */
  | { kind: 'failed'; err: Error };

export interface WatchCallbacks<T> {
  /** Called synchronously for each line, in order; may call stop(). */
  onEvent(event: WatchEvent<T>): void;
  onEnd(end: WatchEnd): void;
}

export interface RunningWatch {
  stop(): void;
}

/** A line that is not a watch event: the stream cannot be trusted any further. */
export class WatchDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchDecodeError';
  }
}

/**
 * Opens `GET path?watch=true&...` and hands over one parsed event per line. Lines are cut at '\n'
 * on the raw bytes (a '\n' byte never occurs inside a multi-byte UTF-8 character), so nothing is
 * decoded twice. A line that does not parse ends the stream with an error rather than being
 * skipped: skipping would lose an event for good, since the next resourceVersion moves past it.
 */
export async function watchStream<T>(api: KubeApi, path: string, query: Query, callbacks: WatchCallbacks<T>): Promise<RunningWatch> {
  const decoder = new WatchDecoder<T>(callbacks);
  decoder.stream = await api.stream(path, { ...query, watch: 'true' }, decoder);
  if (decoder.ended) decoder.stream.abort();
  return decoder;
}

class WatchDecoder<T> implements StreamHandler, RunningWatch {
  stream?: OpenStream;
  ended = false;
  private readonly callbacks: WatchCallbacks<T>;
  private statusCode = 0;
  /** Bytes of a line that has not ended yet (or, for a non-2xx answer, of the body). */
  private partial: Buffer[] = [];

  constructor(callbacks: WatchCallbacks<T>) {
    this.callbacks = callbacks;
  }

  stop(): void {
    this.ended = true;
    this.stream?.abort();
  }

  onStart(statusCode: number): void {
    this.statusCode = statusCode;
  }

  onData(chunk: Buffer): void {
    if (this.ended) return;
    if (this.statusCode !== 200) {
      this.partial.push(chunk);
      return;
    }
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0 && !this.ended; nl = chunk.indexOf(10, start)) {
      let line: string;
      if (this.partial.length > 0) {
        this.partial.push(chunk.subarray(start, nl));
        line = Buffer.concat(this.partial).toString('utf8');
        this.partial = [];
      } else {
        line = chunk.toString('utf8', start, nl);
      }
      start = nl + 1;
      this.line(line);
    }
    if (start < chunk.length && !this.ended) this.partial.push(chunk.subarray(start));
  }

  onEnd(): void {
    if (this.ended) return;
    if (this.statusCode !== 200) {
      const body = Buffer.concat(this.partial).toString('utf8');
      return this.finish({ kind: 'failed', err: new ApiException<string>(this.statusCode, 'watch failed', body, {}) });
    }
    // The last line lacked its '\n': it must still be a whole event.
    if (this.partial.length > 0) this.line(Buffer.concat(this.partial).toString('utf8'));
    this.finish({ kind: 'closed' });
  }

  onError(err: Error): void {
    this.finish({ kind: 'failed', err });
  }

  private line(text: string): void {
    if (text.length === 0) return;
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      return this.fail(`watch sent a line that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!isWatchEvent(event)) return this.fail(`watch sent a line that is not a watch event: ${text.slice(0, 200)}`);
    this.callbacks.onEvent(event as WatchEvent<T>);
  }

  private fail(message: string): void {
    this.stream?.abort();
    this.finish({ kind: 'failed', err: new WatchDecodeError(message) });
  }

  private finish(end: WatchEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.partial = [];
    this.callbacks.onEnd(end);
  }
}

function isWatchEvent(v: unknown): v is WatchEvent {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string' && typeof (v as { object?: unknown }).object === 'object' && (v as { object?: unknown }).object !== null;
}
