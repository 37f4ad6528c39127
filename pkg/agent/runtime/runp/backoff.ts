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
