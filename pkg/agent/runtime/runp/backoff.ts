/**
 * The kubelet's crash-loop back-off per container: the first restart is immediate, later ones
 * wait 10 s, doubling up to 300 s; a container that ran for 10 minutes (twice the cap) before
 * failing starts over from the beginning.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the back-off. */
  resetAfterMs: number;
}

export const KUBELET_BACKOFF: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

export class ContainerBackoff {
  private readonly policy: BackoffPolicy;
  /** Delay before the next restart; 0 until the first restart has happened. */
  private current = 0;

  constructor(policy: BackoffPolicy) {
    this.policy = policy;
  }

  /** The wait before restarting a container that just exited after running `ranMs`. */
  next(ranMs: number): number {
    if (ranMs >= this.policy.resetAfterMs) this.current = 0;
    const delay = this.current;
    this.current = this.current === 0 ? this.policy.initialMs : Math.min(this.current * 2, this.policy.maxMs);
    return delay;
  }
}

/** A duration as Go's time.Duration.String() writes it (the kubelet's message uses it): 10s, 1m20s, 5m0s, 200ms. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds - h * 3600 - m * 60;
  const secs = `${Number.isInteger(s) ? s : Number(s.toFixed(3))}s`;
  if (h > 0) return `${h}h${m}m${secs}`;
  if (m > 0) return `${m}m${secs}`;
  return secs;
}
