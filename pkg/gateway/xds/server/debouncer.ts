export interface DebounceOptions {
  /** Fire once nothing was triggered for this long (Istio's PILOT_DEBOUNCE_AFTER). 0 fires at once. */
  quietMs: number;
  /** ...but never later than this after the first trigger of a burst (PILOT_DEBOUNCE_MAX). */
  maxMs: number;
}

export const DEFAULT_DEBOUNCE: DebounceOptions = { quietMs: 100, maxMs: 1000 };

/**
 * Coalesces a burst of triggers into one call of `fire`: a steady stream of route changes becomes
 * one push per `maxMs` instead of one per change, and a single change waits only `quietMs`.
 */
export class Debouncer {
  readonly #options: DebounceOptions;
  readonly #fire: () => void;
  #timer: NodeJS.Timeout | undefined;
  #burstStartedAt = 0;

  constructor(options: DebounceOptions, fire: () => void) {
    this.#options = options;
    this.#fire = fire;
  }

  trigger(): void {
    if (this.#options.quietMs <= 0) {
      this.#fire();
      return;
    }
    const now = Date.now();
    if (this.#timer === undefined) this.#burstStartedAt = now;
    else clearTimeout(this.#timer);
    const due = Math.min(now + this.#options.quietMs, this.#burstStartedAt + this.#options.maxMs);
    this.#timer = setTimeout(() => this.flush(), Math.max(0, due - now));
  }

  /** Fires now if a trigger is pending (and only then). */
  flush(): void {
    const pending = this.#timer !== undefined;
    this.cancel();
    if (pending) this.#fire();
  }

  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
