import { describe, expect, it } from 'vitest';
import type { PartyTaskStatus, TaskResourceGroup } from '../../crd/index.ts';
import type { Pod } from '../../kube/wire.ts';
import { countPods, partyPhase } from './party-phase.ts';
import { isPodFailed } from './pod-failure.ts';
import { pendingFailFast, taskPhaseFromParties, verdictFromTaskResourceGroup } from './task-phase.ts';

const pod = (phase: string, waiting?: string, restartCount = 0): Pod => ({
  metadata: { name: 'p' },
  status: {
    phase,
    conditions: waiting ? [{ type: 'ContainersReady', status: 'False' }] : [{ type: 'ContainersReady', status: 'True' }],
    containerStatuses: waiting ? [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount, state: { waiting: { reason: waiting } } }] : [],
  },
});

describe('isPodFailed', () => {
  it.each(['CrashLoopBackOff', 'ImageInspectError', 'ErrImageNeverPull', 'RegistryUnavailable', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'PreStartHookError', 'PostStartHookError'])(
    'counts a pod waiting with %s as failed',
    (reason) => {
      expect(isPodFailed(pod('Running', reason))).toBe(true);
      expect(isPodFailed(pod('Pending', reason))).toBe(true);
    },
  );

  it('gives image pulls three retries', () => {
    expect(isPodFailed(pod('Pending', 'ErrImagePull', 3))).toBe(false);
    expect(isPodFailed(pod('Pending', 'ImagePullBackOff', 4))).toBe(true);
  });

  it('ignores ordinary waits and ready containers', () => {
    expect(isPodFailed(pod('Pending', 'ContainerCreating'))).toBe(false);
    expect(isPodFailed(pod('Running'))).toBe(false);
  });
});

describe('partyPhase', () => {
  it('fails when fewer than minReservedPods pods can still succeed', () => {
    expect(partyPhase(countPods([pod('Running'), pod('Failed')]), 2)).toBe('Failed');
    expect(partyPhase(countPods([pod('Running'), undefined]), 2)).toBe('Failed');
    expect(partyPhase(countPods([pod('Running'), pod('Running', 'CrashLoopBackOff')]), 2)).toBe('Failed');
    expect(partyPhase(countPods([pod('Running'), pod('Failed')]), 1)).toBe('Running');
  });

  it('succeeds once minReservedPods pods did', () => {
    expect(partyPhase(countPods([pod('Succeeded'), pod('Running')]), 1)).toBe('Succeeded');
    expect(partyPhase(countPods([pod('Succeeded'), pod('Running')]), 2)).toBe('Running');
    expect(partyPhase(countPods([pod('Succeeded'), pod('Succeeded')]), 0)).toBe('Succeeded');
    expect(partyPhase(countPods([pod('Pending')]), 1)).toBe('Pending');
  });
});

const party = (domainID: string, phase: PartyTaskStatus['phase'], role = 'client'): PartyTaskStatus => ({ domainID, role, phase });

describe('task phase', () => {
  it('fails with Kuscia message when too few parties remain', () => {
    expect(taskPhaseFromParties([party('alice', 'Running'), party('bob', 'Failed', '')], 2)).toEqual({
      phase: 'Failed',
      message:
        'The remaining no-failed party task counts 1 are less than the threshold 2 that meets the conditions for task success. ' +
        'pending party[], running party[alice-client], successful party[], failed party[bob]',
    });
  });

  it('succeeds with minReservedMembers successful parties, else runs while any runs', () => {
    expect(taskPhaseFromParties([party('alice', 'Succeeded'), party('bob', 'Running')], 1)).toEqual({ phase: 'Succeeded' });
    expect(taskPhaseFromParties([party('alice', 'Succeeded'), party('bob', 'Running')], 2)).toEqual({ phase: 'Running' });
    expect(taskPhaseFromParties([party('alice', 'Pending'), party('bob', 'Pending')], 2)).toBeUndefined();
    expect(taskPhaseFromParties([party('alice', 'Succeeded'), party('bob', 'Failed')], 1)).toEqual({ phase: 'Succeeded' });
  });

  it('fails fast while pending', () => {
    expect(pendingFailFast([party('alice', 'Pending'), party('bob', 'Failed')], 2, 2)).toEqual({
      phase: 'Failed',
      message: 'The remaining no-failed party task counts 1 are less than the task success threshold 2. failed party[bob-client]',
    });
    expect(pendingFailFast([party('alice', 'Pending'), party('bob', 'Failed')], 2, 1)).toBeUndefined();
  });

  it('follows the TaskResourceGroup', () => {
    const trg = (phase: string, conditions: Array<{ type: string; status: 'True' | 'False'; reason?: string }> = []): TaskResourceGroup =>
      ({ metadata: { name: 't' }, spec: { minReservedMembers: 2, initiator: 'alice', parties: [], lifecycleSeconds: 300 }, status: { phase, conditions } }) as TaskResourceGroup;
    expect(verdictFromTaskResourceGroup(trg('Reserving'))).toEqual({ phase: 'Running' });
    expect(verdictFromTaskResourceGroup(trg('Failed', [{ type: 'TaskResourceGroupExpired', status: 'True', reason: "Task resource group exceed it's lifecycle" }]))).toEqual({
      phase: 'Failed',
      reason: 'TaskResourceGroupPhaseFailed',
      message: 'The task was not scheduled within 300 seconds of its entire lifecycle',
    });
    expect(verdictFromTaskResourceGroup(trg('Failed', [{ type: 'TaskResourceGroupValidated', status: 'False', reason: 'no initiator' }]))).toEqual({
      phase: 'Failed',
      reason: 'TaskResourceGroupPhaseFailed',
      message: 'TaskResourceGroupValidated failed: no initiator',
    });
    expect(verdictFromTaskResourceGroup(trg('Weird')).reason).toBe('TaskResourceGroupPhaseUnknown');
  });
});
