/** Percentiles and the "figure vs target" lines the benchmark prints. */

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function median(values: number[]): number {
  return percentile(sortedCopy(values), 50);
}

export interface Figure {
  name: string;
  value: string;
  target: string;
  /** undefined = informational, no target. */
  met?: boolean;
}

export function verdict(met: boolean | undefined): string {
  if (met === undefined) return '';
  return met ? 'ok' : 'MISSED';
}

export function formatFigureLine(f: Figure): string {
  const target = f.target ? `  (target ${f.target})` : '';
  const v = verdict(f.met);
  return `${f.name}: ${f.value}${target}${v ? `  ${v}` : ''}`;
}

export function formatTable(figures: Figure[]): string {
  const rows = [['figure', 'value', 'target', 'result'], ...figures.map((f) => [f.name, f.value, f.target || '-', verdict(f.met) || '-'])];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n');
}

export const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
