/**
 * What the scheduler's parts share, handed to each explicitly: scheduling-attempt, reservation,
 * reservation-expiry, binding, ... are plain functions over this one object instead of methods of one
 * large class. KusciaScheduler builds it and owns everything in it (no module-level state).
 */
import type { Logger } from 'pino';
import type { TaskResource } from '../crd/resource.ts';
import type { ResourceClient } from '../kube/resource-client.ts';
import type { Binder } from './binder.ts';
import type { SchedulerCache } from './cache.ts';
import type { Gang } from './gang.ts';
import type { NodePicker } from './placement.ts';
import type { PodReporter } from './pod-reporter.ts';
import type { SchedulingQueue } from './queue.ts';
import type { SchedulerInformers } from './scheduler-informers.ts';

export interface SchedulerContext {
  readonly log: Logger;
  /** Pods with this spec.schedulerName are ours. */
  readonly schedulerName: string;
  /** Reservation window when a TaskResource does not set spec.resourceReservedSeconds. */
  readonly defaultReservedSeconds: number;
  /** Wait before retrying after a failed API write or binding. */
  readonly retryDelayMs: number;
  readonly informers: SchedulerInformers;
  readonly taskResources: ResourceClient<TaskResource>;
  readonly cache: SchedulerCache;
  readonly picker: NodePicker;
  readonly queue: SchedulingQueue;
  /** One entry per TaskResource the scheduler has looked at, by `namespace/name`. */
  readonly gangs: Map<string, Gang>;
  readonly binder: Binder;
  readonly reporter: PodReporter;
  /** False once stopped: timers and API answers arriving later must change nothing. */
  isRunning(): boolean;
  /** The current time as the API writes it (RFC 3339, seconds). */
  nowTime(): string;
  /** Runs `fn` after `ms` unless the scheduler stopped meanwhile (the timer is cleared by stop()). */
  later(fn: () => void, ms: number): void;
  /** Makes sure the scheduling loop runs soon (something was queued). */
  wake(): void;
  /** A pod was bound (counted for logs and benchmarks). */
  onBound(): void;
}
