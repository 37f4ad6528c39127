import { describe, expect, it } from 'vitest';
import { Annotations, Labels } from '../../crd/constants.ts';
import { isInterConnJob } from './interconn.ts';
import { taskPhasesFrom } from './task-phases.ts';
import { makeJobSpec } from './testing/jobs.ts';

describe('taskPhasesFrom', () => {
  it('keys scheduling by alias and status.taskStatus by taskID, from live tasks only', () => {
    const spec = makeJobSpec('Tree', 'Strict');
    spec.tasks = spec.tasks.map((t) => ({ ...t, taskID: `job-${t.alias}` }));
    const { byAlias, byTaskID } = taskPhasesFrom(spec.tasks, [
      { name: 'job-a', phase: 'Succeeded' },
      { name: 'job-c', phase: '' },
      { name: 'job-b' },
      { name: 'someone-else', phase: 'Failed' },
    ]);
    expect([...byAlias]).toEqual([
      ['a', 'Succeeded'],
      ['b', 'Pending'],
      ['c', 'Pending'],
    ]);
    expect(byTaskID).toEqual({ 'job-a': 'Succeeded', 'job-b': 'Pending', 'job-c': 'Pending' });
  });

  it('ignores tasks whose taskID is not assigned yet', () => {
    const spec = makeJobSpec('Tree', 'Strict');
    spec.tasks[0] = { ...spec.tasks[0]!, taskID: '' };
    expect(taskPhasesFrom(spec.tasks, [{ name: '', phase: 'Running' }]).byAlias.size).toBe(0);
  });
});

describe('isInterConnJob', () => {
  it('is true with partner-party annotations or the protocol label', () => {
    expect(isInterConnJob(undefined)).toBe(false);
    expect(isInterConnJob({ annotations: { [Annotations.InterConnSelfParties]: 'alice' } })).toBe(false);
    expect(isInterConnJob({ annotations: { [Annotations.InterConnKusciaParties]: 'bob' } })).toBe(true);
    expect(isInterConnJob({ annotations: { [Annotations.InterConnBFIAParties]: 'bob' } })).toBe(true);
    expect(isInterConnJob({ labels: { [Labels.InterConnProtocolType]: 'bfia' } })).toBe(true);
  });
});
