/**
 * Pending: validate once (an invalid group fails for good), give every party a TaskResource name
 * (written into the spec first, with the cached resourceVersion, so only one name ever exists),
 * then → Creating.
 */
import { TaskResourceGroupConditionType as Cond, TaskResourceGroupPhase as Phase } from '../../../crd/resource.ts';
import { setGroupCondition } from '../conditions.ts';
import { enterPhase, writeGroupStatus } from '../group-status.ts';
import { withTaskResourceNames } from '../task-resource-names.ts';
import { validateTaskResourceGroup } from '../validate.ts';
import type { PhaseHandler } from './handler.ts';

export const handlePending: PhaseHandler = async (deps, trg) => {
  const invalid = validateTaskResourceGroup(trg);
  if (invalid) {
    deps.log.info({ name: trg.metadata.name, reason: invalid }, 'task resource group is invalid');
    return writeGroupStatus(deps, trg, Phase.Pending, (status, now) => {
      status.startTime ??= now;
      enterPhase(status, Phase.Failed, now);
      // "resouce" is Kuscia's spelling.
      setGroupCondition(status, Cond.Validated, 'False', `Validate task resouce group failed, ${invalid}`, now);
      return true;
    });
  }

  let current = trg;
  const spec = withTaskResourceNames(trg);
  if (spec) {
    // A conflict (someone else wrote the group) throws: the retry starts over from the cache.
    current = await deps.clients.taskResourceGroups.replace({ ...structuredClone(trg), spec });
    deps.ownGroupWrites.record(trg, current);
  }
  return writeGroupStatus(deps, current, Phase.Pending, (status, now) => {
    status.startTime ??= now;
    enterPhase(status, Phase.Creating, now);
    setGroupCondition(status, Cond.Validated, 'True', '', now);
    setGroupCondition(status, Cond.TaskResourceNameGenerated, 'True', '', now);
    return true;
  });
};
