/** Status writes of a TaskResourceGroup, guarded so a stale cache never moves a group backwards. */
import { TaskResourceGroupPhase, type TaskResourceGroup, type TaskResourceGroupStatus } from '../../crd/resource.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import { rfc3339 } from '../common/controller-context.ts';
import type { TrgDeps } from './deps.ts';

/** An empty phase is Pending (a group as the task controller creates it). */
export function phaseOf(trg: TaskResourceGroup): TaskResourceGroupPhase {
  return trg.status?.phase || TaskResourceGroupPhase.Pending;
}

/**
 * Applies `mutate` to the group's status and writes it, only while the stored group is still in
 * `expectedPhase` and not completed: after a conflict the fresh object decides, so a decision taken
 * on a stale cache is dropped instead of overwriting a newer phase. `mutate` gets the status and the
 * time of the write and returns false when nothing needs writing. Resolves to the group as stored.
 */
export async function writeGroupStatus(
  deps: TrgDeps,
  trg: TaskResourceGroup,
  expectedPhase: TaskResourceGroupPhase,
  mutate: (status: TaskResourceGroupStatus, now: string) => boolean,
): Promise<TaskResourceGroup> {
  const stored = await updateStatusWithRetry(
    deps.clients.taskResourceGroups,
    '',
    trg.metadata.name ?? '',
    (copy) => {
      if (phaseOf(copy) !== expectedPhase || copy.status?.completionTime) return false;
      return mutate((copy.status ??= {}), rfc3339(deps.now()));
    },
    { current: trg },
  );
  deps.ownGroupWrites.record(trg, stored);
  return stored;
}

/** Moves the status to `phase` (stamping lastTransitionTime). */
export function enterPhase(status: TaskResourceGroupStatus, phase: TaskResourceGroupPhase, now: string): void {
  status.phase = phase;
  status.lastTransitionTime = now;
}
