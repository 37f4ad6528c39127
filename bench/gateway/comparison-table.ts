/** The summary: each figure direct and through both gateways, side by side with their ratio or difference. */

export interface ComparisonRow {
  test: string;
  figure: string;
  direct: string;
  gateways: string;
  /** gateways / direct for rates, gateways − direct for latencies. */
  versus: string;
}

export function formatComparisonTable(rows: readonly ComparisonRow[]): string {
  const header = ['test', 'figure', 'direct', 'through gateways', 'gateways vs direct'];
  const cells = [header, ...rows.map((r) => [r.test, r.figure, r.direct, r.gateways, r.versus])];
  const widths = header.map((_, col) => Math.max(...cells.map((r) => r[col]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), sep, ...cells.slice(1).map(line)].join('\n');
}

export const ratio = (gateways: number, direct: number): string => (direct > 0 ? `${(gateways / direct).toFixed(2)}×` : '-');
export const added = (gatewaysMs: number, directMs: number): string => {
  const d = gatewaysMs - directMs;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(Math.abs(d) < 10 ? 2 : 1)} ms`;
};
