/**
 * The task's phase from its parties and its TaskResourceGroup (Kuscia: RunningHandler and
 * PendingHandler.taskFailed), with Kuscia's messages, which users and SecretPad display.
 */
import { TaskResourceGroupConditionType, type KusciaTaskPhase, type PartyTaskStatus, type TaskResourceGroup } from '../../crd/index.ts';
import { partyKey } from './names.ts';

export interface PhaseVerdict {
  phase: KusciaTaskPhase;
  reason?: string;
  message?: string;
}

/** Running: fail once too few parties can still succeed, succeed once enough did. */
export function taskPhaseFromParties(parties: readonly PartyTaskStatus[], minReservedMembers: number): PhaseVerdict | undefined {
  const by = (phase: KusciaTaskPhase) => parties.filter((p) => p.phase === phase).map((p) => partyKey(p.domainID, p.role));
  const succeeded = by('Succeeded');
  const failed = by('Failed');
  const running = by('Running');
  const pending = parties.filter((p) => !['Succeeded', 'Failed', 'Running'].includes(p.phase ?? '')).map((p) => partyKey(p.domainID, p.role));
  if (minReservedMembers > parties.length - failed.length) {
    return {
      phase: 'Failed',
      message:
        `The remaining no-failed party task counts ${parties.length - failed.length} are less than the threshold ${minReservedMembers} ` +
        `that meets the conditions for task success. pending party[${pending.join(',')}], running party[${running.join(',')}], ` +
        `successful party[${succeeded.join(',')}], failed party[${failed.join(',')}]`,
    };
  }
  if (succeeded.length >= minReservedMembers) return { phase: 'Succeeded' };
  if (running.length > 0) return { phase: 'Running' };
  return undefined;
}

/** Pending: parties that already failed (synced from partners) can make success impossible. */
export function pendingFailFast(parties: readonly PartyTaskStatus[], partyCount: number, minReservedMembers: number): PhaseVerdict | undefined {
  const failed = parties.filter((p) => p.phase === 'Failed').map((p) => partyKey(p.domainID, p.role));
  const remaining = partyCount - failed.length;
  if (minReservedMembers <= remaining) return undefined;
  return {
    phase: 'Failed',
    message: `The remaining no-failed party task counts ${remaining} are less than the task success threshold ${minReservedMembers}. failed party[${failed.join(',')}]`,
  };
}

/** The task follows its TaskResourceGroup: every phase but Failed means the task is (still) on. */
export function verdictFromTaskResourceGroup(trg: TaskResourceGroup): PhaseVerdict {
  const phase = trg.status?.phase ?? '';
  if (['', 'Pending', 'Creating', 'Reserving', 'ReserveFailed', 'Reserved'].includes(phase)) return { phase: 'Running' };
  if (phase === 'Failed') return { phase: 'Failed', reason: 'TaskResourceGroupPhaseFailed', message: taskResourceGroupFailure(trg) };
  return { phase: 'Failed', reason: 'TaskResourceGroupPhaseUnknown', message: 'Task resource group status phase is unknown' };
}

/** Why the group failed: its lifecycle expired, or the conditions that are not True. */
export function taskResourceGroupFailure(trg: TaskResourceGroup): string {
  const conditions = trg.status?.conditions ?? [];
  if (conditions.some((c) => c.type === TaskResourceGroupConditionType.Expired && c.status === 'True')) {
    return `The task was not scheduled within ${trg.spec.lifecycleSeconds ?? 0} seconds of its entire lifecycle`;
  }
  return conditions
    .filter((c) => c.status !== 'True' && c.reason)
    .map((c) => `${c.type} failed: ${c.reason}`)
    .join(',');
}
