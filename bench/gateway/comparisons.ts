/**
 * One test, direct and then through the gateways: prints both measurements (with the CPU of each
 * process over the measured window) and how they compare, and adds the summary rows.
 */
import { int, ms, percentile } from '../apiserver/stats.ts';
import type { LoadResult, LoadWindow } from './closed-loop.ts';
import { added, ratio, type ComparisonRow } from './comparison-table.ts';
import type { BenchGateway } from './gateway-instances.ts';
import type { GrpcTarget, StreamsResult } from './grpc-load.ts';
import { measurePhaseCpu, type PhaseCpu } from './phase-cpu.ts';

export interface PathTarget {
  http: { port: number; host: string };
  grpc: GrpcTarget;
}

export interface ComparisonContext {
  /** The reference first, then the gateways. */
  paths: ReadonlyArray<{ name: 'direct' | 'gateways'; target: PathTarget }>;
  gateways: readonly BenchGateway[];
  /** What this process runs besides the load, for the CPU line. */
  selfLabel: string;
  warmupMs: number;
  durationMs: number;
  rows: ComparisonRow[];
}

/** A throughput figure of a load result: its name, how to compute and print it. */
export interface Rate {
  label: string;
  of(r: LoadResult): number;
  format(value: number): string;
}

export const requestRate = (label: string): Rate => ({ label, of: (r) => (r.ok * 1000) / r.elapsedMs, format: int });

/** A closed-loop load test on both paths: rate, latency p50/p99, failures. */
export async function compareLoad(
  ctx: ComparisonContext,
  test: string,
  unit: string,
  run: (target: PathTarget, window: LoadWindow) => Promise<LoadResult>,
  rate: Rate,
): Promise<void> {
  console.log(`\n${test}`);
  const results: LoadResult[] = [];
  for (const path of ctx.paths) {
    // CPU over the measured window only, not the warm-up.
    let cpu: PhaseCpu | undefined;
    const r = await run(path.target, { warmupMs: ctx.warmupMs, durationMs: ctx.durationMs, onWindowStart: () => (cpu = measurePhaseCpu(ctx.gateways, ctx.selfLabel)) });
    results.push(r);
    console.log(
      `  ${path.name.padEnd(8)}: ${rate.format(rate.of(r))} ${rate.label}, p50 ${ms(percentile(r.latencies, 50))}, p99 ${ms(percentile(r.latencies, 99))} ` +
        `(${int(r.ok)} ${unit}s in ${(r.elapsedMs / 1000).toFixed(1)} s, ${int(r.failed)} failed)`,
    );
    if (cpu) console.log(`            ${cpu.finish(path.name === 'gateways' ? { count: r.ok, unit } : undefined)}`);
    for (const f of r.failures) console.log(`            failure: ${f}`);
  }
  const [d, g] = results as [LoadResult, LoadResult];
  const p = (r: LoadResult, q: number) => percentile(r.latencies, q);
  console.log(`  gateways vs direct: throughput ${ratio(rate.of(g), rate.of(d))}, added latency p50 ${added(p(g, 50), p(d, 50))}, p99 ${added(p(g, 99), p(d, 99))}`);
  ctx.rows.push(
    { test, figure: rate.label, direct: rate.format(rate.of(d)), gateways: rate.format(rate.of(g)), versus: ratio(rate.of(g), rate.of(d)) },
    { test: '', figure: 'latency p50', direct: ms(p(d, 50)), gateways: ms(p(g, 50)), versus: added(p(g, 50), p(d, 50)) },
    { test: '', figure: 'latency p99', direct: ms(p(d, 99)), gateways: ms(p(g, 99)), versus: added(p(g, 99), p(d, 99)) },
    { test: '', figure: 'failed', direct: int(d.failed), gateways: int(g.failed), versus: '' },
  );
}

/** Many streams opened at once on both paths: all completed?, time to complete, messages/s. */
export async function compareStreams(ctx: ComparisonContext, test: string, run: (target: GrpcTarget) => Promise<StreamsResult>): Promise<void> {
  console.log(`\n${test}`);
  const results: StreamsResult[] = [];
  for (const path of ctx.paths) {
    const cpu = measurePhaseCpu(ctx.gateways, ctx.selfLabel);
    const r = await run(path.target.grpc);
    results.push(r);
    const cpuLine = cpu.finish(path.name === 'gateways' ? { count: r.messages, unit: 'message echoed' } : undefined);
    console.log(
      `  ${path.name.padEnd(8)}: ${int(r.completed)} of ${int(r.streams)} streams completed in ${ms(r.elapsedMs)}, ${int(messageRate(r))} messages echoed/s, ` +
        `stream duration p50 ${ms(percentile(r.durations, 50))}, p99 ${ms(percentile(r.durations, 99))}`,
    );
    console.log(`            ${cpuLine}`);
    for (const f of r.failures.slice(0, 5)) console.log(`            failed: ${f}`);
  }
  const [d, g] = results as [StreamsResult, StreamsResult];
  const p99 = (r: StreamsResult) => percentile(r.durations, 99);
  console.log(`  gateways vs direct: time to complete ${ratio(g.elapsedMs, d.elapsedMs)}, messages/s ${ratio(messageRate(g), messageRate(d))}`);
  ctx.rows.push(
    { test, figure: 'streams completed', direct: `${int(d.completed)} / ${int(d.streams)}`, gateways: `${int(g.completed)} / ${int(g.streams)}`, versus: '' },
    { test: '', figure: 'time to complete all', direct: ms(d.elapsedMs), gateways: ms(g.elapsedMs), versus: ratio(g.elapsedMs, d.elapsedMs) },
    { test: '', figure: 'messages echoed/s', direct: int(messageRate(d)), gateways: int(messageRate(g)), versus: ratio(messageRate(g), messageRate(d)) },
    { test: '', figure: 'stream duration p99', direct: ms(p99(d)), gateways: ms(p99(g)), versus: added(p99(g), p99(d)) },
  );
}

function messageRate(r: StreamsResult): number {
  return r.elapsedMs > 0 ? (r.messages * 1000) / r.elapsedMs : 0;
}
