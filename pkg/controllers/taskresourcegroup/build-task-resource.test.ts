import { describe, expect, it } from 'vitest';
import { Annotations, Labels } from '../../crd/constants.ts';
import type { TaskResourceGroup } from '../../crd/resource.ts';
import { buildTaskResource, minReservedPodsOf } from './build-task-resource.ts';
import { withTaskResourceNames } from './task-resource-names.ts';
import { validateTaskResourceGroup } from './validate.ts';

const group = (over: Partial<TaskResourceGroup['spec']> = {}): TaskResourceGroup => ({
  metadata: { name: 'task-a', uid: 'uid-1', annotations: { [Annotations.JobID]: 'job-a', [Annotations.TaskAlias]: 'psi' } },
  spec: { minReservedMembers: 2, initiator: 'alice', parties: [{ domainID: 'alice', pods: [{ name: 'p0' }] }, { domainID: 'bob', pods: [{ name: 'p1' }] }], ...over },
});

describe('minReservedPods of a party', () => {
  it.each([
    // configured, pods, partner → value
    [1, 3, false, 1],
    [3, 3, false, 3],
    [0, 3, false, 3],
    [5, 3, false, 3],
    [2, 1, true, 2],
    [0, 0, false, 1],
  ] as const)('configured %i with %i pods (partner %s) → %i', (configured, pods, partner, expected) => {
    const party = { domainID: 'd', minReservedPods: configured, pods: Array.from({ length: pods }, (_, i) => ({ name: `p${i}` })) };
    expect(minReservedPodsOf(party, partner)).toBe(expected);
  });
});

describe('TaskResource of a party', () => {
  it('is owned by the group, labelled with its uid, Reserving, with the default reservation time', () => {
    const trg = group();
    const party = { domainID: 'alice', role: 'guest', pods: [{ name: 'p0' }, { name: 'p1' }], taskResourceName: 'task-a-1' };
    const tr = buildTaskResource({ trg, party, isPartner: false, podResources: new Map([['p0', { requests: { cpu: '1' } }]]), now: '2025-01-01T00:00:00Z' });
    expect(tr.metadata).toMatchObject({
      name: 'task-a-1',
      namespace: 'alice',
      labels: { [Labels.TaskResourceGroupUID]: 'uid-1' },
      annotations: { [Annotations.Initiator]: 'alice', [Annotations.TaskResourceGroup]: 'task-a', [Annotations.JobID]: 'job-a', [Annotations.TaskAlias]: 'psi' },
      ownerReferences: [{ kind: 'TaskResourceGroup', name: 'task-a', uid: 'uid-1', controller: true }],
    });
    expect(tr.metadata.annotations).not.toHaveProperty(Annotations.TaskID);
    expect(tr.spec).toEqual({ role: 'guest', minReservedPods: 2, resourceReservedSeconds: 30, initiator: 'alice', pods: [{ name: 'p0', resources: { requests: { cpu: '1' } } }, { name: 'p1' }] });
    expect(tr.status?.phase).toBe('Reserving');
  });
});

describe('group validation and names', () => {
  it('refuses more minReservedMembers than parties, no initiator, no parties', () => {
    expect(validateTaskResourceGroup(group())).toBeUndefined();
    expect(validateTaskResourceGroup(group({ minReservedMembers: 3 }))).toContain("minReservedMembers can't be greater than party counts");
    expect(validateTaskResourceGroup(group({ initiator: '' }))).toContain("initiator  can't be empty");
    expect(validateTaskResourceGroup(group({ minReservedMembers: 0, parties: [] }))).toContain("parties in task resource group task-a can't be empty");
    // Partner parties count towards the total.
    expect(validateTaskResourceGroup(group({ minReservedMembers: 3, outOfControlledParties: [{ domainID: 'carol' }] }))).toBeUndefined();
  });

  it('names only the parties without a name, and reports when nothing was missing', () => {
    let n = 0;
    const uuid = () => `00000000-0000-0000-0000-00000000000${n++}`;
    const trg = group({ parties: [{ domainID: 'alice', taskResourceName: 'kept' }, { domainID: 'bob' }], outOfControlledParties: [{ domainID: 'carol' }] });
    const spec = withTaskResourceNames(trg, uuid)!;
    expect(spec.parties.map((p) => p.taskResourceName)).toEqual(['kept', 'task-a-000000000000']);
    expect(spec.outOfControlledParties?.map((p) => p.taskResourceName)).toEqual(['task-a-000000000001']);
    expect(withTaskResourceNames({ ...trg, spec }, uuid)).toBeUndefined();
  });
});
