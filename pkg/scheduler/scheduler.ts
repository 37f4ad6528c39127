/**
 * kuscia-scheduler: a single-process, Volcano-statement style gang scheduler for Kuscia's
 * TaskResources (reference: Kuscia's kusciascheduling plugin, Volcano's allocate/Statement).
 *
 * - Everything that decides placement runs synchronously on the event loop against one in-memory
 *   cache, so two gangs can never both take the same capacity: no locks, no overcommit.
 * - A gang (the pods of one TaskResource) is placed tentatively and kept only if at least
 *   `minReservedPods` fit; then the TaskResource goes Reserved and the pods hold their nodes as
 *   assumptions (nothing is bound). Nothing ever waits: a gang that does not fit is parked until
 *   capacity frees up, a reservation not made Schedulable in time is released by a timer.
 * - Pods are bound (pods/binding, many in parallel) only once their TaskResource is Schedulable,
 *   which the TaskResourceGroup controller decides across parties.
 * - State is memory only; after a restart it is rebuilt from the API (bound pods count as used) and
 *   TaskResources found Reserved/Schedulable are placed again or failed.
 *
 * This file owns the parts, the loop and its timers; the decisions are plain functions over the
 * shared SchedulerContext (scheduler-context.ts):
 *   scheduler-informers.ts  what is watched, and the indexes
 *   informer-events.ts      watch events → cache, dropped assumptions, queued units
 *   scheduling-units.ts     what is queued (a gang or a lone pod) and in which order
 *   scheduling-attempt.ts   one attempt at a unit, by TaskResource phase
 *   reservation.ts          all-or-nothing placement of a gang's minimum; recovery after restart
 *   reservation-expiry.ts   releasing reservations not made Schedulable in time
 *   binding.ts              binding assumed pods (binder.ts sends pods/binding)
 *   task-resource-writer.ts TaskResource status writes (task-resource-status.ts: what they change)
 *   gang.ts                 a gang's memory and its hold on capacity
 *   pod-reporter.ts         FailedScheduling/Scheduled events and PodScheduled=False
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { rfc3339, type ControllerContext, type KusciaController } from '../controllers/common/controller-context.ts';
import { KUSCIA_SCHEDULER_NAME } from '../crd/constants.ts';
import { describeError } from '../kube/api-errors.ts';
import { ResourceClient } from '../kube/resource-client.ts';
import { CoreResources } from '../kube/resources.ts';
import { Binder } from './binder.ts';
import { SchedulerCache } from './cache.ts';
import { EventRecorder, type CoreEvent } from './events.ts';
import { clearExpiry } from './gang.ts';
import { wireInformerEvents } from './informer-events.ts';
import { NodePicker } from './placement.ts';
import { PodReporter } from './pod-reporter.ts';
import { SchedulingQueue } from './queue.ts';
import { QuantityReader } from './resources.ts';
import type { SchedulerContext } from './scheduler-context.ts';
import { openSchedulerInformers } from './scheduler-informers.ts';
import { attemptUnit } from './scheduling-attempt.ts';

export interface KusciaSchedulerOptions {
  /** Pods with this spec.schedulerName are ours (default kuscia-scheduler). */
  schedulerName?: string;
  /** Reservation window when a TaskResource does not set spec.resourceReservedSeconds (Kuscia: 30). */
  defaultResourceReservedSeconds?: number;
  /** Bindings in flight at once (default 32). */
  bindConcurrency?: number;
  /** Write core/v1 Events (Scheduled, FailedScheduling); default true. */
  recordEvents?: boolean;
  /** Wait before retrying a TaskResource after a failed API write (default 1000 ms). */
  retryDelayMs?: number;
  /** Longest stretch of synchronous scheduling before yielding to I/O (default 10 ms). */
  sliceMs?: number;
}

export class KusciaScheduler implements KusciaController {
  readonly name = 'kuscia-scheduler';
  private readonly log: Logger;
  private readonly sliceMs: number;
  private readonly shared: SchedulerContext;
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;
  private loopPending = false;
  private capacityFreed = false;
  /** Pods bound since start (for logs and benchmarks). */
  boundCount = 0;

  constructor(ctx: ControllerContext, options: KusciaSchedulerOptions = {}) {
    this.log = ctx.log.child({ component: 'kuscia-scheduler' });
    this.sliceMs = options.sliceMs ?? 10;
    const schedulerName = options.schedulerName ?? KUSCIA_SCHEDULER_NAME;
    const cache = new SchedulerCache(new QuantityReader(), () => this.onCapacityFreed());
    const events =
      options.recordEvents === false
        ? undefined
        : new EventRecorder({
            client: new ResourceClient<CoreEvent>(ctx.clients.api, CoreResources.events),
            component: schedulerName,
            instance: `${schedulerName}-${hostname()}`,
            log: this.log,
            now: ctx.now,
          });
    this.shared = {
      log: this.log,
      schedulerName,
      defaultReservedSeconds: options.defaultResourceReservedSeconds ?? 30,
      retryDelayMs: options.retryDelayMs ?? 1000,
      informers: openSchedulerInformers(ctx.informers),
      taskResources: ctx.clients.taskResources,
      cache,
      picker: new NodePicker(cache),
      queue: new SchedulingQueue(),
      gangs: new Map(),
      binder: new Binder(ctx.clients.pods, options.bindConcurrency ?? 32),
      reporter: new PodReporter({ pods: ctx.clients.pods, events, log: this.log, now: ctx.now }),
      isRunning: () => this.running,
      nowTime: () => rfc3339(ctx.now()),
      later: (fn, ms) => this.later(fn, ms),
      wake: () => this.scheduleLoop(),
      onBound: () => {
        this.boundCount++;
      },
    };
    wireInformerEvents(this.shared);
  }

  run(): void {
    if (this.running) return;
    this.running = true;
    const { gangs, queue, cache } = this.shared;
    this.log.info({ gangs: gangs.size, queued: queue.activeCount, nodes: cache.nodeCount }, 'scheduler started');
    this.scheduleLoop();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const gang of this.shared.gangs.values()) clearExpiry(gang);
    await this.shared.binder.drain();
    await this.shared.reporter.drain();
    this.log.info({ bound: this.boundCount }, 'scheduler stopped');
  }

  private onCapacityFreed(): void {
    this.capacityFreed = true;
    this.scheduleLoop();
  }

  private scheduleLoop(): void {
    if (this.loopPending || !this.running) return;
    this.loopPending = true;
    setImmediate(() => this.runLoop());
  }

  /** Attempts queued units in order for at most one slice, then yields so API I/O can progress. */
  private runLoop(): void {
    this.loopPending = false;
    if (!this.running) return;
    const { queue } = this.shared;
    if (this.capacityFreed) {
      // Parked units wait for capacity, not for a retry timer: any freed capacity wakes them all.
      this.capacityFreed = false;
      queue.moveAllToActive();
    }
    const deadline = performance.now() + this.sliceMs;
    for (let unit = queue.pop(); unit; unit = queue.pop()) {
      try {
        attemptUnit(this.shared, unit);
      } catch (err) {
        this.log.error({ err: describeError(err), unit: unit.id }, 'scheduling attempt failed');
      }
      if (performance.now() >= deadline) break;
    }
    if (queue.activeCount > 0 || this.capacityFreed) this.scheduleLoop();
  }

  /** A timer stop() can clear, and that does nothing once stopped. */
  private later(fn: () => void, ms: number): void {
    if (!this.running) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.running) fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }
}
