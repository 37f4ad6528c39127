export interface StreamTimerOptions {
  /** Connection manager `request_timeout`: until the whole request is received; 0 = none. */
  requestTimeoutMs: number;
  /** Route `timeout`: from the end of the request to the end of the response; 0 = none. */
  timeoutMs: number;
  /** Stream idle timeout: no bytes either way for this long; 0 = none. */
  idleTimeoutMs: number;
  onTimeout: () => void;
  onIdle: () => void;
  onRequestTimeout: () => void;
}

/** The per-stream timers of Envoy's router and connection manager. */
export class StreamTimers {
  private readonly options: StreamTimerOptions;
  private request: NodeJS.Timeout | undefined;
  private timeout: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  private cleared = false;

  constructor(options: StreamTimerOptions) {
    this.options = options;
    if (options.requestTimeoutMs > 0) this.request = setTimeout(options.onRequestTimeout, options.requestTimeoutMs);
    this.activity();
  }

  /** The whole request has been received: the request timeout stops, the route timeout starts. */
  requestComplete(): void {
    clearTimeout(this.request);
    if (this.cleared || this.options.timeoutMs <= 0 || this.timeout) return;
    this.timeout = setTimeout(this.options.onTimeout, this.options.timeoutMs);
  }

  /** The response has started: the request timeout no longer applies (Envoy). */
  responseStarted(): void {
    clearTimeout(this.request);
  }

  /** Bytes moved: the idle timer starts over. */
  activity(): void {
    if (this.cleared || this.options.idleTimeoutMs <= 0) return;
    if (this.idle) this.idle.refresh();
    else this.idle = setTimeout(this.options.onIdle, this.options.idleTimeoutMs);
  }

  clear(): void {
    this.cleared = true;
    clearTimeout(this.request);
    clearTimeout(this.timeout);
    clearTimeout(this.idle);
  }
}
