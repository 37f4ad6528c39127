/**
 * Runs `count` operations with at most `concurrency` in flight (and optionally at most `perSecond`
 * started per second), recording each operation's latency.
 */
export interface LoadResult {
  elapsedMs: number;
  /** Per-operation latency in ms, in completion order. */
  latencies: Float64Array;
}

export async function runLoad(
  count: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
  opts: { perSecond?: number } = {},
): Promise<LoadResult> {
  const latencies = new Float64Array(count);
  let next = 0;
  let done = 0;
  const started = performance.now();
  const interval = opts.perSecond ? 1000 / opts.perSecond : 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      if (interval) {
        const due = started + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const t = performance.now();
      await op(i);
      latencies[done++] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { elapsedMs: performance.now() - started, latencies };
}
