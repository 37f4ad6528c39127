/**
 * ReserveFailed: wait retryIntervalSeconds after the phase change (a timer on the queue, not a
 * poll), then put every TaskResource back to Reserving, touch the pods so the scheduler looks at
 * them again, and the group → Reserving with retryCount + 1. The lifecycle deadline still applies.
 */
import { TaskResourceGroupPhase as Phase } from '../../../crd/resource.ts';
import { rfc3339 } from '../../common/controller-context.ts';
import { taskResourcesOf } from '../deps.ts';
import { enterPhase, writeGroupStatus } from '../group-status.ts';
import { retryAtMs } from '../settings.ts';
import { resetTaskResourceForRetry } from '../task-resource-status.ts';
import type { PhaseHandler } from './handler.ts';
import { relinkOwnPods } from './reserving.ts';

export const handleReserveFailed: PhaseHandler = async (deps, trg) => {
  const wait = retryAtMs(trg) - deps.now();
  if (wait > 0) {
    deps.requeueAfter(trg.metadata.name ?? '', wait);
    return undefined;
  }
  await Promise.all(taskResourcesOf(deps, trg).map((tr) => resetTaskResourceForRetry(deps, tr)));
  await relinkOwnPods(deps, trg, { reservingTimestamp: rfc3339(deps.now()) });
  return writeGroupStatus(deps, trg, Phase.ReserveFailed, (status, now) => {
    enterPhase(status, Phase.Reserving, now);
    status.retryCount = (status.retryCount ?? 0) + 1;
    return true;
  });
};
