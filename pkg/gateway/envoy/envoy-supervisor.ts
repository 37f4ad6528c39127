import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { GatewayEndpointStatus } from '../../crd/index.ts';
import { RestartBackoff } from '../../modules/restart-backoff.ts';
import { adminGet, isEnvoyReady, networkStatusFromClusters } from './admin-client.ts';
import { envoyLogTail, spawnEnvoy, type EnvoyProcess, type EnvoyProcessSpec } from './envoy-process.ts';

/** Kuscia's supervisor warns about children that die this soon after starting. */
const SHORT_RUN_MS = 3_000;

export interface EnvoySupervisorOptions extends EnvoyProcessSpec {
  adminPort: number;
  readyTimeoutMs: number;
  stopGraceMs: number;
  statsIntervalMs: number;
  backoff: RestartBackoff;
  log: Logger;
}

/** Envoy did not come up on the first start (it exited, or `/ready` never said 200). */
export class EnvoyStartError extends Error {
  override readonly name = 'EnvoyStartError';
}

/**
 * Keeps one Envoy running: the first start must reach `/ready` (or the gateway fails to start);
 * afterwards an exit is restarted with back-off, as Kuscia's supervisor restarts its Envoy. The
 * gateway stays up meanwhile: the xDS server keeps the snapshot and the new Envoy fetches it. The
 * peer clusters' health is polled from the admin API, because the Gateway heartbeat asks for it
 * synchronously; while Envoy is down it is empty, which is the truth (nothing is routed).
 */
export class EnvoySupervisor {
  readonly #opts: EnvoySupervisorOptions;
  readonly #log: Logger;
  #current: EnvoyProcess | undefined;
  #ready = false;
  /** Restarts begin once the first start succeeded; a failed first start is the caller's error. */
  #started = false;
  #stopping = false;
  #restartTimer: NodeJS.Timeout | undefined;
  #statsTimer: NodeJS.Timeout | undefined;
  #status: GatewayEndpointStatus[] = [];

  constructor(opts: EnvoySupervisorOptions) {
    this.#opts = opts;
    this.#log = opts.log.child({ component: 'envoy', adminPort: opts.adminPort });
  }

  networkStatus(): GatewayEndpointStatus[] {
    return this.#status;
  }

  pid(): number | undefined {
    return this.#current?.pid;
  }

  async start(): Promise<void> {
    const proc = await spawnEnvoy(this.#opts);
    this.#current = proc;
    this.#watchExit(proc);
    const outcome = await this.#waitReady(proc);
    if (outcome !== 'ready') {
      this.#stopping = true;
      await proc.stop(this.#opts.stopGraceMs);
      const tail = await envoyLogTail(this.#opts.stateDir);
      const why = outcome === 'exited' ? 'envoy exited before it was ready' : `envoy was not ready within ${this.#opts.readyTimeoutMs} ms (GET http://127.0.0.1:${this.#opts.adminPort}/ready)`;
      throw new EnvoyStartError(tail ? `${why}: ${tail}` : why);
    }
    this.#started = true;
    this.#onReady(proc);
    this.#statsTimer = setInterval(() => void this.#pollStats(), this.#opts.statsIntervalMs);
    this.#statsTimer.unref();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    clearInterval(this.#statsTimer);
    const proc = this.#current;
    if (!proc) return;
    const { killed } = await proc.stop(this.#opts.stopGraceMs);
    if (killed) this.#log.warn({ pid: proc.pid, graceMs: this.#opts.stopGraceMs }, 'envoy did not stop on SIGTERM in time; SIGKILL');
    this.#log.info({ pid: proc.pid }, 'envoy stopped');
  }

  /** Ready, exited, or timed out: polls `/ready` until one of them. */
  async #waitReady(proc: EnvoyProcess): Promise<'ready' | 'exited' | 'timeout'> {
    let exited = false;
    void proc.exited.then(() => {
      exited = true;
    });
    const deadline = Date.now() + this.#opts.readyTimeoutMs;
    while (Date.now() < deadline) {
      if (exited || this.#current !== proc) return 'exited';
      if (await isEnvoyReady(this.#opts.adminPort)) return exited ? 'exited' : 'ready';
      await sleep(100);
    }
    return 'timeout';
  }

  #onReady(proc: EnvoyProcess): void {
    this.#ready = true;
    this.#log.info({ pid: proc.pid }, 'envoy ready');
    void this.#pollStats();
  }

  #watchExit(proc: EnvoyProcess): void {
    void proc.exited.then(({ code, signal }) => {
      if (this.#current !== proc) return;
      this.#current = undefined;
      this.#ready = false;
      this.#status = [];
      if (this.#stopping || !this.#started) return;
      const ranMs = Date.now() - proc.startedAt;
      if (ranMs < SHORT_RUN_MS) this.#log.warn({ code, signal }, `process only existed ${ranMs} ms, less than ${SHORT_RUN_MS} ms`);
      const delayMs = this.#opts.backoff.delayAfter(ranMs);
      this.#log.error({ pid: proc.pid, code, signal, ranMs, delayMs }, 'envoy exited; restarting');
      this.#restartTimer = setTimeout(() => void this.#restart(), delayMs);
    });
  }

  /** A restart that fails is retried by the exit handler (a stuck one is stopped, which exits it). */
  async #restart(): Promise<void> {
    if (this.#stopping) return;
    let proc: EnvoyProcess;
    try {
      proc = await spawnEnvoy(this.#opts);
    } catch (err) {
      const delayMs = this.#opts.backoff.delayAfter(0);
      this.#log.error({ err: (err as Error).message, delayMs }, 'envoy could not be started; retrying');
      this.#restartTimer = setTimeout(() => void this.#restart(), delayMs);
      return;
    }
    if (this.#stopping) {
      await proc.stop(this.#opts.stopGraceMs);
      return;
    }
    this.#current = proc;
    this.#watchExit(proc);
    const outcome = await this.#waitReady(proc);
    if (outcome === 'ready' && !this.#stopping) this.#onReady(proc);
    else if (outcome === 'timeout' && !this.#stopping) {
      this.#log.error({ pid: proc.pid, tail: await envoyLogTail(this.#opts.stateDir) }, 'restarted envoy did not get ready; stopping it');
      await proc.stop(this.#opts.stopGraceMs);
    }
  }

  async #pollStats(): Promise<void> {
    const proc = this.#current;
    if (!proc || !this.#ready) return;
    try {
      const res = await adminGet(this.#opts.adminPort, '/clusters?format=json');
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      if (this.#current === proc) this.#status = networkStatusFromClusters(JSON.parse(res.body));
    } catch (err) {
      // Keeps the last figures: one failed scrape says nothing about the peers.
      this.#log.warn({ err: (err as Error).message }, 'envoy admin /clusters failed');
    }
  }
}
