/**
 * Delay before restarting a crashed child: doubling from `initialMs` up to `maxMs`, back to the
 * start once a run lasted `resetAfterMs` (a child that crashes once a day restarts at once).
 */
export class RestartBackoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly resetAfterMs: number;
  private nextMs: number;

  constructor(opts: { initialMs?: number; maxMs?: number; resetAfterMs?: number } = {}) {
    this.initialMs = opts.initialMs ?? 1_000;
    this.maxMs = opts.maxMs ?? 30_000;
    this.resetAfterMs = opts.resetAfterMs ?? 60_000;
    this.nextMs = this.initialMs;
  }

  /** The delay to wait after a run that lasted `ranMs`. */
  delayAfter(ranMs: number): number {
    if (ranMs >= this.resetAfterMs) this.nextMs = this.initialMs;
    const delay = this.nextMs;
    this.nextMs = Math.min(this.maxMs, this.nextMs * 2);
    return delay;
  }
}
