/** The Reserving decision from the phases of a group's TaskResources (pure). */
import { TaskResourcePhase, type TaskResource } from '../../crd/resource.ts';

export interface Tally {
  reserved: number;
  failed: number;
}

export function tallyTaskResources(trs: readonly TaskResource[]): Tally {
  let reserved = 0;
  let failed = 0;
  for (const tr of trs) {
    const phase = tr.status?.phase;
    // Schedulable is a reservation the group already granted (seen again after a restart).
    if (phase === TaskResourcePhase.Reserved || phase === TaskResourcePhase.Schedulable) reserved++;
    else if (phase === TaskResourcePhase.Failed) failed++;
  }
  return { reserved, failed };
}

export type ReservationOutcome = 'Reserved' | 'ReserveFailed' | 'Waiting';

/**
 * Reserved once `minReservedMembers` parties reserved; ReserveFailed once so many failed that the
 * rest cannot reach it (`minReservedMembers > parties - failed`); else keep waiting.
 */
export function reservationOutcome(minReservedMembers: number, parties: number, tally: Tally): ReservationOutcome {
  if (tally.reserved >= minReservedMembers) return 'Reserved';
  if (minReservedMembers > parties - tally.failed) return 'ReserveFailed';
  return 'Waiting';
}
