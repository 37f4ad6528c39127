import { describe, expect, it } from 'vitest';
import { buildPartyKit } from './party-kit.ts';
import { buildTaskResourceGroup, minReservedMembersOf } from './task-resource-group.ts';
import { appImageFixture, taskFixture } from './testing/fixtures.ts';

describe('buildTaskResourceGroup', () => {
  it('defaults the schedule and lists own parties with their pods', () => {
    const task = taskFixture();
    const kits = task.spec.parties.map((p, i) => buildPartyKit(task, p, appImageFixture(), i === 1));
    const trg = buildTaskResourceGroup(task, kits);
    expect(trg.metadata).toEqual({
      name: 'task-psi',
      labels: { 'kuscia.secretflow/controller': 'kusciatask', 'kuscia.secretflow/job-uid': 'job-uid-1', 'kuscia.secretflow/task-uid': 'task-uid-1' },
      annotations: {
        'kuscia.secretflow/initiator': 'alice',
        'kuscia.secretflow/self-cluster-as-initiator': '',
        'kuscia.secretflow/job-id': 'job-1',
        'kuscia.secretflow/task-id': 'task-psi',
        'kuscia.secretflow/task-alias': 'psi',
        'kuscia.secretflow/interconn-kuscia-parties': '',
        'kuscia.secretflow/interconn-bfia-parties': '',
        'kuscia.secretflow/party-master-domain': '',
      },
    });
    expect(trg.spec).toEqual({
      minReservedMembers: 2,
      resourceReservedSeconds: 30,
      lifecycleSeconds: 300,
      retryIntervalSeconds: 30,
      initiator: 'alice',
      parties: [{ role: 'client', domainID: 'alice', minReservedPods: 1, pods: [{ name: 'task-psi-client-0' }] }],
      outOfControlledParties: [{ role: 'server', domainID: 'bob', minReservedPods: 1 }],
    });
  });

  it('takes the configured schedule values', () => {
    const task = taskFixture();
    task.spec.scheduleConfig = { minReservedMembers: 1, resourceReservedSeconds: 5, lifecycleSeconds: 20, retryIntervalSeconds: 2 };
    const trg = buildTaskResourceGroup(task, task.spec.parties.map((p) => buildPartyKit(task, p, appImageFixture(), false)));
    expect(trg.spec).toMatchObject({ minReservedMembers: 1, resourceReservedSeconds: 5, lifecycleSeconds: 20, retryIntervalSeconds: 2 });
  });

  it('uses every party when minReservedMembers is unset, not positive or too large', () => {
    const task = taskFixture();
    for (const value of [undefined, 0, -1, 3]) {
      task.spec.scheduleConfig = { minReservedMembers: value };
      expect(minReservedMembersOf(task)).toBe(2);
    }
  });
});
