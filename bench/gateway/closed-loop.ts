/**
 * A closed-loop load: `concurrency` workers each send one request, wait for its whole reply, send
 * the next. The load runs without a pause through a warm-up (JIT, connection set-up, pools) and
 * then the measured window; only requests that start inside the window count, so neither the
 * warm-up nor the drain after it skews the rate.
 */
import { sortedCopy } from '../apiserver/stats.ts';

/** The warm-up and the measured window that follows it. */
export interface LoadWindow {
  warmupMs: number;
  durationMs: number;
  /** Called when the measured window opens (e.g. to start counting CPU). */
  onWindowStart?: () => void;
}

export interface ClosedLoopOptions extends LoadWindow {
  concurrency: number;
  /** One request; resolves to the bytes received, rejects (or throws) on any failure. */
  send: () => Promise<number>;
}

export interface LoadResult {
  /** Requests that started in the window and succeeded. */
  ok: number;
  failed: number;
  /** The first few distinct failure messages. */
  failures: string[];
  /** The window: its start to the end of the last counted request. */
  elapsedMs: number;
  /** Latency of each counted success, ms, sorted. */
  latencies: Float64Array;
  bytes: number;
}

const MAX_FAILURE_MESSAGES = 5;
/** After a failure a worker waits this long: a refused connection must not turn into a busy loop. */
const FAILURE_PAUSE_MS = 10;

export async function runClosedLoop(opts: ClosedLoopOptions): Promise<LoadResult> {
  const start = performance.now();
  const windowStart = start + opts.warmupMs;
  const windowEnd = windowStart + opts.durationMs;
  const latencies: number[] = [];
  const failures = new Set<string>();
  let failed = 0;
  let bytes = 0;
  let lastEnd = windowStart;
  const windowTimer = setTimeout(() => opts.onWindowStart?.(), opts.warmupMs);

  const worker = async () => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= windowEnd) return;
      const counted = t0 >= windowStart;
      try {
        const received = await opts.send();
        const t1 = performance.now();
        if (counted) {
          latencies.push(t1 - t0);
          bytes += received;
          lastEnd = Math.max(lastEnd, t1);
        }
      } catch (err) {
        if (counted) {
          failed++;
          lastEnd = Math.max(lastEnd, performance.now());
        }
        if (failures.size < MAX_FAILURE_MESSAGES) failures.add(err instanceof Error ? err.message : String(err));
        await new Promise((r) => setTimeout(r, FAILURE_PAUSE_MS));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  clearTimeout(windowTimer);
  return { ok: latencies.length, failed, failures: [...failures], elapsedMs: lastEnd - windowStart, latencies: sortedCopy(latencies), bytes };
}
