/** Failed: every TaskResource → Failed (the scheduler releases their reservations); the group is complete. */
import { TaskResourceGroupConditionType as Cond, TaskResourceGroupPhase as Phase } from '../../../crd/resource.ts';
import { hasGroupCondition, setGroupCondition } from '../conditions.ts';
import { writeGroupStatus } from '../group-status.ts';
import { markGroupTaskResources, TaskResourceReasons } from '../task-resource-status.ts';
import type { PhaseHandler } from './handler.ts';

export const handleFailed: PhaseHandler = async (deps, trg) => {
  if (hasGroupCondition(trg.status, Cond.Failed)) return undefined;
  await markGroupTaskResources(deps, trg, 'Failed', TaskResourceReasons.groupFailed, true);
  return writeGroupStatus(deps, trg, Phase.Failed, (status, now) => {
    status.completionTime = now;
    setGroupCondition(status, Cond.Failed, 'True', '', now);
    return true;
  });
};
