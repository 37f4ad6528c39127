import { parseCriRecord } from './cri-log-format.ts';

/** One line as `kubectl logs` shows it: the text of one or more CRI records joined, and when it began. */
export interface LogLine {
  time: string;
  text: string;
  /** False for a partial record left at the end of a file that nobody completed (no newline is added). */
  complete: boolean;
}

/**
 * Turns the bytes of a CRI log file into lines: cuts at '\n' (on bytes, so a UTF-8 character split
 * between reads stays whole), parses each record and joins `P` records with the `F` that ends them.
 * Lines that are not CRI records are skipped, as the kubelet does.
 */
export class LogLineAssembler {
  private rest: Buffer = Buffer.alloc(0);
  private partial: { time: string; parts: string[] } | undefined;

  /** Bytes consumed into complete records; a reader resumes the file from here. */
  consumed = 0;

  push(chunk: Buffer, out: (line: LogLine) => void): void {
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      this.record(data.toString('utf8', start, nl), out);
      this.consumed += nl + 1 - start;
      start = nl + 1;
    }
    this.rest = Buffer.from(data.subarray(start));
  }

  /** At the end of the stream: a pending partial line is shown as far as it got. */
  flush(out: (line: LogLine) => void): void {
    if (this.partial) out({ time: this.partial.time, text: this.partial.parts.join(''), complete: false });
    this.partial = undefined;
  }

  private record(raw: string, out: (line: LogLine) => void): void {
    const rec = parseCriRecord(raw);
    if (!rec) return;
    if (rec.partial) {
      this.partial ??= { time: rec.time, parts: [] };
      this.partial.parts.push(rec.text);
      return;
    }
    if (this.partial) {
      this.partial.parts.push(rec.text);
      out({ time: this.partial.time, text: this.partial.parts.join(''), complete: true });
      this.partial = undefined;
      return;
    }
    out({ time: rec.time, text: rec.text, complete: true });
  }
}

/** The bytes a line contributes to the output. */
export function renderLogLine(line: LogLine, timestamps: boolean): string {
  const text = line.complete ? `${line.text}\n` : line.text;
  return timestamps ? `${line.time} ${text}` : text;
}
