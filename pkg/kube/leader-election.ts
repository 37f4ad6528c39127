import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { describeError, isAlreadyExists, isConflict, isNotFound } from './api-errors.ts';
import type { Lease } from './wire.ts';

export const DEFAULT_LEASE_NAME = 'kuscia-controller-manager';
export const DEFAULT_LEASE_NAMESPACE = 'kube-system';

/**
 * The Lease calls the elector makes: a ResourceClient<Lease> over the process's KubeApi, so renewals
 * reuse its keep-alive connections (client-node's generated clients open a new connection, and a
 * new TLS context, per request: one every retry period, held until the server's keep-alive ends).
 */
export interface LeaseStore {
  get(namespace: string, name: string): Promise<Lease>;
  create(lease: Lease): Promise<Lease>;
  replace(lease: Lease): Promise<Lease>;
}

/** A MicroTime as client-go writes it: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export interface LeaderElectionOptions {
  leases: LeaseStore;
  /** This contender's holderIdentity (client-go: hostname + '_' + uuid); unique per process. */
  identity: string;
  log: Logger;
  leaseName?: string;
  leaseNamespace?: string;
  /** How long a non-leader waits after the last change it saw before taking the lease (default 15 s; the Lease stores it rounded up to whole seconds). */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a failed renewal before giving up leadership (default 10 s). */
  renewDeadlineMs?: number;
  /** Pause between attempts to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
  /** Starts the leader's work; `signal` aborts when leadership is lost or the elector stops. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called once after leading ends, whether lost or released. */
  onStoppedLeading?: () => void;
  onNewLeader?: (identity: string) => void;
}

/**
 * client-go's leaderelection on a coordination.k8s.io/v1 Lease. Every write is a conditional update
 * on the resourceVersion read just before, so two contenders can never both succeed. A contender
 * trusts its own clock only: the lease is free when its holder is empty or when the record has not
 * changed for leaseDuration since this contender last saw it change (clocks need not agree).
 */
export class LeaderElector {
  private readonly opts: Required<Omit<LeaderElectionOptions, 'onStoppedLeading' | 'onNewLeader'>> & LeaderElectionOptions;
  private readonly log: Logger;
  private readonly stopController = new AbortController();
  private observedResourceVersion = '';
  private observedAt = 0;
  private observedHolder = '';
  private leading = false;
  private lastRenewedAt = 0;

  constructor(opts: LeaderElectionOptions) {
    // `??` rather than spreading defaults: an option passed as undefined still gets its default.
    this.opts = {
      ...opts,
      leaseName: opts.leaseName ?? DEFAULT_LEASE_NAME,
      leaseNamespace: opts.leaseNamespace ?? DEFAULT_LEASE_NAMESPACE,
      leaseDurationMs: opts.leaseDurationMs ?? 15_000,
      renewDeadlineMs: opts.renewDeadlineMs ?? 10_000,
      retryPeriodMs: opts.retryPeriodMs ?? 2_000,
    };
    if (this.opts.leaseDurationMs <= this.opts.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.opts.renewDeadlineMs <= this.opts.retryPeriodMs * 1.2) throw new Error('renewDeadline must be greater than retryPeriod*1.2');
    this.log = opts.log.child({ component: 'leader-election', lease: `${this.opts.leaseNamespace}/${this.opts.leaseName}`, identity: opts.identity });
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * client-go's leader-election health check: unhealthy only when this process believes it leads
   * but has not renewed for longer than the lease plus `toleranceMs` (a stuck leader that others
   * may already have replaced). Non-leaders are always healthy.
   */
  healthy(toleranceMs = 20_000): boolean {
    return !this.leading || Date.now() - this.lastRenewedAt <= this.opts.leaseDurationMs + toleranceMs;
  }

  /** The holder this contender last saw ('' = none). */
  get observedLeader(): string {
    return this.observedHolder;
  }

  /**
   * Waits to acquire the lease, leads until the lease is lost or `stop` is called, then returns.
   * Like client-go, a contender that lost the lease does not try again: its process should exit.
   */
  async run(): Promise<void> {
    const stopSignal = this.stopController.signal;
    if (!(await this.acquire(stopSignal))) return;
    const leadership = new AbortController();
    const onStop = () => leadership.abort();
    stopSignal.addEventListener('abort', onStop, { once: true });
    this.leading = true;
    this.lastRenewedAt = Date.now();
    this.log.info('became leader');
    try {
      void Promise.resolve()
        .then(() => this.opts.onStartedLeading(leadership.signal))
        .catch((err: unknown) => this.log.error({ err: describeError(err) }, 'onStartedLeading failed'));
      await this.renewUntilLost(stopSignal);
    } finally {
      this.leading = false;
      leadership.abort();
      stopSignal.removeEventListener('abort', onStop);
      if (stopSignal.aborted) await this.release();
      else this.log.warn('leadership lost');
      this.opts.onStoppedLeading?.();
    }
  }

  /** Stops trying; a leader releases the lease so another contender takes over at once. */
  stop(): void {
    this.stopController.abort();
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) return true;
      if (!(await this.pause(jitter(this.opts.retryPeriodMs), signal))) break;
    }
    return false;
  }

  /** Renews every retryPeriod; gives up when no renewal succeeded within renewDeadline. */
  private async renewUntilLost(signal: AbortSignal): Promise<void> {
    let lastRenewed = Date.now();
    while (!signal.aborted) {
      if (!(await this.pause(this.opts.retryPeriodMs, signal))) return;
      if (await this.tryAcquireOrRenew()) {
        lastRenewed = this.lastRenewedAt = Date.now();
        continue;
      }
      if (Date.now() - lastRenewed >= this.opts.renewDeadlineMs) return;
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { leases, leaseName: name, leaseNamespace: namespace, identity } = this.opts;
    const now = microTime(Date.now());
    const durationSeconds = Math.ceil(this.opts.leaseDurationMs / 1000);
    let lease: Lease;
    try {
      lease = await leases.get(namespace, name);
    } catch (err) {
      if (!isNotFound(err)) return this.failed('read', err);
      const body: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
      };
      try {
        this.observe(await leases.create(body));
        return true;
      } catch (createErr) {
        return isAlreadyExists(createErr) ? false : this.failed('create', createErr);
      }
    }
    this.observe(lease);
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const leaseMs = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (holder !== '' && holder !== identity && this.observedAt + leaseMs > Date.now()) return false;

    const renewing = holder === identity;
    lease.spec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      renewTime: now,
      acquireTime: renewing && spec.acquireTime ? spec.acquireTime : now,
      leaseTransitions: renewing ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
    };
    try {
      // metadata.resourceVersion from the read makes this a compare-and-swap.
      this.observe(await leases.replace(lease));
      return true;
    } catch (err) {
      return isConflict(err) ? false : this.failed('update', err);
    }
  }

  /** client-go's release: holder cleared and a 1 s duration, so the next contender need not wait. */
  private async release(): Promise<void> {
    const { leases, leaseName: name, leaseNamespace: namespace, identity } = this.opts;
    try {
      const lease = await leases.get(namespace, name);
      if (lease.spec?.holderIdentity !== identity) return;
      const now = microTime(Date.now());
      lease.spec = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.spec.leaseTransitions ?? 0 };
      await leases.replace(lease);
      this.log.info('lease released');
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'could not release the lease; others take over when it expires');
    }
  }

  /** Remembers when (on our clock) the record last changed; that is what expiry is measured from. */
  private observe(lease: Lease): void {
    const rv = lease.metadata?.resourceVersion ?? '';
    if (rv === this.observedResourceVersion) return;
    this.observedResourceVersion = rv;
    this.observedAt = Date.now();
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      if (holder) {
        this.log.info({ leader: holder }, 'new leader observed');
        this.opts.onNewLeader?.(holder);
      }
    }
  }

  private failed(what: string, err: unknown): false {
    this.log.warn({ err: describeError(err) }, `lease ${what} failed`);
    return false;
  }

  /** Sleeps; false when the elector was stopped meanwhile. */
  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal });
      return true;
    } catch {
      return false;
    }
  }
}

/** client-go waits retryPeriod·[1, 1.2) between acquire attempts so contenders do not move in lockstep. */
function jitter(ms: number): number {
  return ms * (1 + Math.random() * 0.2);
}
