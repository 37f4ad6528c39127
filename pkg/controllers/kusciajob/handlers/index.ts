/** One handler per job phase (Go: KusciaJobPhaseHandlerFactory). */
import { KusciaJobPhase, type KusciaJob } from '../../../crd/index.ts';
import type { HandlerOutcome, JobHandlerDeps } from '../deps.ts';
import { handleAwaitingApproval } from './awaiting-approval.ts';
import { handleFailed } from './failed.ts';
import { handleFinished } from './finished.ts';
import { handleInitialized } from './initialized.ts';
import { handlePending } from './pending.ts';
import { handleRunning } from './running.ts';
import { handleSuspended } from './suspended.ts';

export type PhaseHandler = (job: KusciaJob, deps: JobHandlerDeps) => Promise<HandlerOutcome>;

const HANDLERS: Record<KusciaJobPhase, PhaseHandler> = {
  [KusciaJobPhase.Initialized]: handleInitialized,
  [KusciaJobPhase.AwaitingApproval]: handleAwaitingApproval,
  [KusciaJobPhase.Pending]: handlePending,
  [KusciaJobPhase.Running]: handleRunning,
  [KusciaJobPhase.Failed]: handleFailed,
  [KusciaJobPhase.Suspended]: handleSuspended,
  [KusciaJobPhase.Succeeded]: handleFinished,
  [KusciaJobPhase.Cancelled]: handleFinished,
  [KusciaJobPhase.ApprovalReject]: handleFinished,
};

/** The handler of a phase; an unknown or empty phase is a new job (`initialized`). */
export function handlerFor(phase: string | undefined): PhaseHandler {
  return (phase !== undefined && Object.hasOwn(HANDLERS, phase) ? HANDLERS[phase as KusciaJobPhase] : undefined) ?? handleInitialized;
}
