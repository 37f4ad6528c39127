/** What the phase handlers work with: clients, caches and options, bundled once per controller. */
import type { Logger } from 'pino';
import type { AppImage, KusciaJob } from '../../crd/index.ts';
import type { ControllerContext } from '../common/controller-context.ts';
import type { JobTasks } from './job-tasks.ts';
import type { NamespaceView } from './namespaces.ts';

export interface JobHandlerDeps {
  ctx: ControllerContext;
  log: Logger;
  namespaces: NamespaceView;
  tasks: JobTasks;
  /** The AppImage, or undefined when it does not exist. */
  appImage(name: string): Promise<AppImage | undefined>;
  /** Kuscia's enableWorkloadApprove: partners approve jobs by hand instead of automatically. */
  enableWorkloadApprove: boolean;
  /** RFC 3339 now, for status times. */
  now(): string;
  /** Called after the job's metadata or spec was written (see WrittenVersions). */
  jobWritten(before: KusciaJob, after: KusciaJob): void;
}

/**
 * How a handler ended: `status` — write the job's status if it changed; `written` — the handler
 * changed the job's metadata or spec, whose update event brings the job back, so its status must
 * not be written from this (now stale) copy.
 */
export type HandlerOutcome = 'status' | 'written';
