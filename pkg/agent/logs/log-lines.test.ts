import { describe, expect, it } from 'vitest';
import { formatCriRecord } from './cri-log-format.ts';
import { LogLineAssembler, renderLogLine, type LogLine } from './log-lines.ts';

const at = new Date('2025-01-01T00:00:00.123Z');

function assemble(chunks: Buffer[], flush = false): LogLine[] {
  const a = new LogLineAssembler();
  const out: LogLine[] = [];
  for (const c of chunks) a.push(c, (l) => out.push(l));
  if (flush) a.flush((l) => out.push(l));
  return out;
}

describe('LogLineAssembler', () => {
  it('joins partial records and keeps a multi-byte character split between reads whole', () => {
    const bytes = Buffer.from(formatCriRecord(at, 'stdout', 'héllo ', true) + formatCriRecord(at, 'stdout', 'wörld') + 'garbage line\n');
    const split = bytes.indexOf(Buffer.from('ö')) + 1; // inside the two-byte ö
    const lines = assemble([bytes.subarray(0, split), bytes.subarray(split)]);
    expect(lines).toEqual([{ time: '2025-01-01T00:00:00.123000000Z', text: 'héllo wörld', complete: true }]);
    expect(renderLogLine(lines[0]!, true)).toBe('2025-01-01T00:00:00.123000000Z héllo wörld\n');
  });

  it('shows a partial record nobody completed without a newline, and counts only whole records as consumed', () => {
    const whole = formatCriRecord(at, 'stderr', 'a');
    const a = new LogLineAssembler();
    const out: LogLine[] = [];
    a.push(Buffer.from(whole + formatCriRecord(at, 'stderr', 'progress 50%', true) + '2025-01-01T00:00:01'), (l) => out.push(l));
    expect(a.consumed).toBe(Buffer.byteLength(whole + formatCriRecord(at, 'stderr', 'progress 50%', true)));
    a.flush((l) => out.push(l));
    expect(out.map((l) => renderLogLine(l, false)).join('')).toBe('a\nprogress 50%');
  });
});
