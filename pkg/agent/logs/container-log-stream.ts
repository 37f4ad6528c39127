import { watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { LogLineAssembler, renderLogLine, type LogLine } from './log-lines.ts';
import type { ContainerLogOptions } from './log-options.ts';

export interface ContainerLogStreamOptions {
  file: string;
  opts: ContainerLogOptions;
  out: Writable;
  /**
   * Asked while following, whenever the file has nothing new: true once nothing will write it again
   * (the container stopped, the pod finished or is gone). The stream then drains the file and ends.
   */
  isDone(): Promise<boolean> | boolean;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** How often a follower looks at the file when fs.watch says nothing (some filesystems never do). */
  pollIntervalMs?: number;
}

const READ_CHUNK = 64 * 1024;

/**
 * Writes one container's log file to `out` the way the kubelet serves `/containerLogs`: tail, since,
 * timestamps and byte limit applied to the joined lines; with follow, keeps sending what is appended
 * until `isDone()` or the client leaves. Resolves when the stream is over (it does not end `out`).
 */
export async function streamContainerLog(o: ContainerLogStreamOptions): Promise<void> {
  const sink = new LimitedSink(o.out, o.opts);
  let fh = await openOptional(o.file);
  while (!fh) {
    // Following a container whose runtime has not created the file yet.
    if (!o.opts.follow || o.signal.aborted || (await o.isDone())) return;
    await delay(o.pollIntervalMs ?? 200, o.signal);
    fh = await openOptional(o.file);
  }
  const watcher = o.opts.follow ? new FileChangeWatcher(o.file) : undefined;
  try {
    const assembler = new LogLineAssembler();
    const tail = o.opts.tailLines === undefined ? undefined : new TailBuffer(o.opts.tailLines);
    const initialSize = (await fh.stat()).size;
    let offset = await readRange(fh, 0, initialSize, assembler, (line) => (tail ? tail.add(line) : sink.line(line)));
    if (tail) for (const line of tail.lines()) sink.line(line);
    if (!o.opts.follow) {
      // Whatever was appended since we looked is not part of this answer; a pending partial record is.
      assembler.flush((line) => sink.line(line));
      return;
    }
    while (!sink.full && !o.signal.aborted) {
      const next = await readRange(fh, offset, Infinity, assembler, (line) => sink.line(line));
      if (next > offset) {
        offset = next;
        await sink.drained(o.signal);
        continue;
      }
      if (await o.isDone()) {
        // One last look: the container may have written its final lines just before it stopped.
        offset = await readRange(fh, offset, Infinity, assembler, (line) => sink.line(line));
        assembler.flush((line) => sink.line(line));
        return;
      }
      await watcher!.changed(o.pollIntervalMs ?? 200, o.signal);
    }
  } finally {
    watcher?.close();
    await fh.close();
  }
}

/** Reads [from, to) (to = Infinity: up to the current end) through the assembler; returns the new offset. */
async function readRange(fh: FileHandle, from: number, to: number, assembler: LogLineAssembler, out: (line: LogLine) => void): Promise<number> {
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  let pos = from;
  while (pos < to) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(READ_CHUNK, to - pos), pos);
    if (bytesRead === 0) break;
    assembler.push(buf.subarray(0, bytesRead), out);
    pos += bytesRead;
  }
  return pos;
}

/** Applies since, timestamps and limitBytes, and writes. */
class LimitedSink {
  private written = 0;
  full = false;
  private readonly out: Writable;
  private readonly opts: ContainerLogOptions;

  constructor(out: Writable, opts: ContainerLogOptions) {
    this.out = out;
    this.opts = opts;
  }

  line(line: LogLine): void {
    if (this.full) return;
    if (this.opts.sinceMs !== undefined && Date.parse(line.time) < this.opts.sinceMs) return;
    let bytes = Buffer.from(renderLogLine(line, this.opts.timestamps));
    const limit = this.opts.limitBytes;
    if (limit !== undefined && this.written + bytes.length >= limit) {
      bytes = bytes.subarray(0, limit - this.written);
      this.full = true;
    }
    this.written += bytes.length;
    if (bytes.length > 0) this.out.write(bytes);
  }

  /** Waits while the client reads slower than the log grows. */
  async drained(signal: AbortSignal): Promise<void> {
    if (!this.out.writableNeedDrain || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.out.on('drain', done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** The last N lines of everything pushed. */
class TailBuffer {
  private readonly ring: LogLine[] = [];
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  add(line: LogLine): void {
    if (this.max === 0) return;
    if (this.ring.length === this.max) this.ring.shift();
    this.ring.push(line);
  }

  lines(): LogLine[] {
    return this.ring;
  }
}

/** fs.watch on the file, with a timer as the fallback for filesystems whose watch never fires. */
class FileChangeWatcher {
  private watcher: FSWatcher | undefined;
  private wake: (() => void) | undefined;
  private pending = false;

  constructor(file: string) {
    try {
      this.watcher = watch(file, { persistent: false }, () => this.notify());
      this.watcher.on('error', () => this.close());
    } catch {
      this.watcher = undefined; // polling alone
    }
  }

  private notify(): void {
    if (this.wake) this.wake();
    else this.pending = true;
  }

  /** Resolves on the next change, after `pollMs`, or on abort. */
  async changed(pollMs: number, signal: AbortSignal): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, pollMs);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
    this.wake = undefined;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}

async function openOptional(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
