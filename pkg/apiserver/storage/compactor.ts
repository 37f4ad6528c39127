import type { Store } from './types.ts';

export interface CompactorOptions {
  /** How often to compact (default 60 s). */
  intervalMs?: number;
  /** Always keep at least this many of the latest revisions (default 1000, like kine). */
  minRetainEvents?: number;
  /** Keep history written in the last this-many ms (default 5 min, like the apiserver's etcd compaction). */
  retainMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** A compaction failed (e.g. disk error); the compactor keeps running. */
  onError?: (error: unknown) => void;
}

export interface Compactor {
  /** Runs one compaction pass now; returns the revision compacted to (or the unchanged one). */
  runOnce(): number;
  stop(): void;
}

/**
 * Periodically compacts a store's history. The store does not timestamp revisions, so the
 * compactor samples (time, revision) at each tick and compacts up to the newest revision that was
 * already current `retainMs` ago, never past `revision - minRetainEvents`.
 */
export function startCompactor(store: Store, options: CompactorOptions = {}): Compactor {
  const intervalMs = options.intervalMs ?? 60_000;
  const minRetain = options.minRetainEvents ?? 1000;
  const retainMs = options.retainMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const samples: { at: number; revision: number }[] = [];

  const runOnce = (): number => {
    const t = now();
    samples.push({ at: t, revision: store.revision });
    let target = 0;
    while (samples.length > 0 && samples[0].at <= t - retainMs) target = samples.shift()!.revision;
    target = Math.min(target, store.revision - minRetain);
    if (target > store.compactedRevision) store.compact(target);
    return store.compactedRevision;
  };

  const timer = setInterval(() => {
    try {
      runOnce();
    } catch (err) {
      options.onError?.(err);
    }
  }, intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
