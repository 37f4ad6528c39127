/**
 * Reserved: every TaskResource → Schedulable (the scheduler then binds the reserved pods), and the
 * group is complete. Done once: the TaskResourcesScheduled condition records it.
 */
import { TaskResourceGroupConditionType as Cond, TaskResourceGroupPhase as Phase } from '../../../crd/resource.ts';
import { hasGroupCondition, setGroupCondition } from '../conditions.ts';
import { writeGroupStatus } from '../group-status.ts';
import { markGroupTaskResources, TaskResourceReasons } from '../task-resource-status.ts';
import type { PhaseHandler } from './handler.ts';

export const handleReserved: PhaseHandler = async (deps, trg) => {
  if (hasGroupCondition(trg.status, Cond.TaskResourcesScheduled)) return undefined;
  await markGroupTaskResources(deps, trg, 'Schedulable', TaskResourceReasons.schedulable);
  return writeGroupStatus(deps, trg, Phase.Reserved, (status, now) => {
    status.completionTime = now;
    setGroupCondition(status, Cond.TaskResourcesScheduled, 'True', '', now);
    return true;
  });
};
