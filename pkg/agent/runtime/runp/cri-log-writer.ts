import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { formatCriRecord, type LogStream } from '../../logs/cri-log-format.ts';

/** containerd's limit: a longer line is written as partial (`P`) records of this many bytes. */
export const MAX_LOG_RECORD_BYTES = 16 * 1024;

/**
 * Writes a container's stdout and stderr into one log file in the CRI format, one record per line
 * (a line over MAX_LOG_RECORD_BYTES becomes partial records; text without a final newline is
 * flushed as a partial record when the stream ends, as containerd does).
 */
export class CriLogWriter {
  private readonly out: WriteStream;
  private readonly now: () => Date;
  private open = 0;
  private readonly drained: Promise<void>;
  private resolveDrained!: () => void;

  constructor(file: string, now: () => Date) {
    mkdirSync(dirname(file), { recursive: true });
    this.out = createWriteStream(file, { flags: 'a' });
    this.now = now;
    this.drained = new Promise((r) => (this.resolveDrained = r));
  }

  /** Copies a stream into the file; `done()` resolves once every attached stream has ended and all is on disk. */
  attach(source: Readable, stream: LogStream): void {
    this.open++;
    let pending: Buffer = Buffer.alloc(0);
    const emit = (bytes: Buffer, partial: boolean) => this.out.write(formatCriRecord(this.now(), stream, bytes.toString('utf8'), partial));
    source.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let newline: number;
      while ((newline = pending.indexOf(0x0a)) >= 0) {
        let line = pending.subarray(0, newline);
        while (line.length > MAX_LOG_RECORD_BYTES) {
          emit(line.subarray(0, MAX_LOG_RECORD_BYTES), true);
          line = line.subarray(MAX_LOG_RECORD_BYTES);
        }
        emit(line, false);
        pending = pending.subarray(newline + 1);
      }
      while (pending.length > MAX_LOG_RECORD_BYTES) {
        emit(pending.subarray(0, MAX_LOG_RECORD_BYTES), true);
        pending = pending.subarray(MAX_LOG_RECORD_BYTES);
      }
    });
    const finish = () => {
      if (pending.length > 0) emit(pending, true);
      pending = Buffer.alloc(0);
      if (--this.open === 0) this.out.end(() => this.resolveDrained());
    };
    let finished = false;
    const once = () => {
      if (!finished) {
        finished = true;
        finish();
      }
    };
    source.on('end', once);
    source.on('close', once);
    source.on('error', once);
  }

  done(): Promise<void> {
    if (this.open === 0 && !this.out.writableEnded) this.out.end(() => this.resolveDrained());
    return this.drained;
  }
}
