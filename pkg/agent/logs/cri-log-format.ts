/**
 * The CRI container log format the kubelet reads (one record per line):
 * `<RFC3339Nano time> <stdout|stderr> <F|P> <text>` — `P` marks a partial line (the text continues
 * in the next record), `F` a full one. `kubectl logs` shows only the text; `--timestamps` adds the time.
 */
export type LogStream = 'stdout' | 'stderr';

export interface CriLogRecord {
  time: string;
  stream: LogStream;
  partial: boolean;
  text: string;
}

/** One record; `text` must not contain '\n'. */
export function formatCriRecord(time: Date, stream: LogStream, text: string, partial = false): string {
  return `${rfc3339Nano(time)} ${stream} ${partial ? 'P' : 'F'} ${text}\n`;
}

/** Parses one line (without its '\n'); undefined when it is not a CRI record. */
export function parseCriRecord(line: string): CriLogRecord | undefined {
  const firstSpace = line.indexOf(' ');
  if (firstSpace <= 0) return undefined;
  const secondSpace = line.indexOf(' ', firstSpace + 1);
  if (secondSpace < 0) return undefined;
  const stream = line.slice(firstSpace + 1, secondSpace);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = line.slice(secondSpace + 1, secondSpace + 2);
  if (tag !== 'F' && tag !== 'P') return undefined;
  return { time: line.slice(0, firstSpace), stream, partial: tag === 'P', text: line.slice(secondSpace + 3) };
}

/** Date → RFC3339 with nanoseconds, as the CRI writes it (JavaScript has milliseconds: padded). */
export function rfc3339Nano(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
