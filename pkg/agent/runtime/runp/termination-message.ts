import { open, readFile } from 'node:fs/promises';
import { parseCriRecord } from '../../logs/cri-log-format.ts';

/** The kubelet's limits: the file's last 4096 bytes; from logs, the last 80 lines, then their last 2048 bytes. */
export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
export const FALLBACK_LOG_LINES = 80;
export const FALLBACK_LOG_BYTES = 2048;

/**
 * A terminated container's message, as the kubelet builds it: the termination message file; with
 * `FallbackToLogsOnError`, the tail of the container's log when the file is empty and the exit
 * code is non-zero.
 */
export async function terminationMessage(opts: {
  messageFile: string;
  logFile: string;
  policy: string | undefined;
  exitCode: number;
}): Promise<string> {
  const fromFile = await readTail(opts.messageFile, MAX_TERMINATION_MESSAGE_BYTES);
  if (fromFile !== '' || opts.policy !== 'FallbackToLogsOnError' || opts.exitCode === 0) return fromFile;
  return logTail(opts.logFile);
}

async function readTail(file: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, size - length);
    return buf.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The last lines of a CRI log file as `kubectl logs --tail` shows them (partial records joined). */
async function logTail(logFile: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(logFile, 'utf8');
  } catch {
    return '';
  }
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const record = parseCriRecord(raw);
    if (!record) continue;
    current += record.text;
    if (!record.partial) {
      lines.push(`${current}\n`);
      current = '';
    }
  }
  if (current) lines.push(current);
  const tail = Buffer.from(lines.slice(-FALLBACK_LOG_LINES).join(''), 'utf8');
  return tail.subarray(Math.max(0, tail.length - FALLBACK_LOG_BYTES)).toString('utf8');
}
