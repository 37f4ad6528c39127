import type { ServerResponse } from 'node:http';

export interface BatchedWriter {
  /** Queues a line; it is sent with every other line queued in this turn of the event loop. */
  write(line: string): void;
  /** Sends what is queued now (before ending the stream). */
  flush(): void;
}

/**
 * Watch lines queued during one turn of the event loop go out as one chunk. Under load many
 * writes complete per turn and each becomes an event for every watcher; one socket write (one TLS
 * record, one syscall, one read on the client) per watcher per turn instead of one per event is
 * most of the cost of fan-out. Events wait at most until the end of the current turn.
 */
export function batchedWriter(res: ServerResponse, maxBufferedBytes: number, onOverflow: () => void): BatchedWriter {
  let pending: string[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.length === 0) return;
    const text = pending.length === 1 ? pending[0]! : pending.join('');
    pending = [];
    if (res.destroyed || res.writableEnded) return;
    res.write(text);
    // A watcher that does not read is cut off instead of growing the server's memory without bound.
    if (res.writableLength > maxBufferedBytes) onOverflow();
  };
  return {
    write(line) {
      pending.push(line);
      scheduled ??= setImmediate(flush);
    },
    flush,
  };
}
