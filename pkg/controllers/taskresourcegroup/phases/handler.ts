import type { TaskResourceGroup } from '../../../crd/resource.ts';
import type { TrgDeps } from '../deps.ts';

/**
 * One phase of the group's state machine. Returns the group as stored after the handler wrote it
 * (the reconcile goes on with the next phase's handler at once), or undefined when it wrote nothing
 * and waits for an event or a timer.
 */
export type PhaseHandler = (deps: TrgDeps, trg: TaskResourceGroup) => Promise<TaskResourceGroup | undefined>;
