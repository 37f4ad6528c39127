import { describe, expect, it } from 'vitest';
import type { TaskResource, TaskResourcePhase } from '../../crd/resource.ts';
import { reservationOutcome, tallyTaskResources } from './reservation-tally.ts';

const tr = (phase: TaskResourcePhase): TaskResource => ({ metadata: {}, spec: { minReservedPods: 1 }, status: { phase } });

describe('reservation tally', () => {
  it('counts Schedulable as reserved and Failed as failed', () => {
    expect(tallyTaskResources([tr('Reserved'), tr('Schedulable'), tr('Failed'), tr('Reserving'), tr('Pending')])).toEqual({ reserved: 2, failed: 1 });
  });

  it.each([
    // minReservedMembers, parties, reserved, failed → outcome
    [2, 2, 2, 0, 'Reserved'],
    [2, 2, 1, 0, 'Waiting'],
    [2, 2, 1, 1, 'ReserveFailed'],
    [1, 2, 1, 1, 'Reserved'],
    [1, 2, 0, 1, 'Waiting'],
    [1, 2, 0, 2, 'ReserveFailed'],
    [2, 3, 0, 1, 'Waiting'],
    [2, 3, 0, 2, 'ReserveFailed'],
  ] as const)('min %i of %i parties, %i reserved, %i failed → %s', (min, parties, reserved, failed, outcome) => {
    expect(reservationOutcome(min, parties, { reserved, failed })).toBe(outcome);
  });
});
