import { describe, expect, it } from 'vitest';
import type { KusciaJob, KusciaJobStatus } from '../../crd/index.ts';
import { setJobCondition } from './conditions.ts';
import { failActiveTaskStatuses, shouldReconcile, statusChanged, touchJobTimes } from './job-status.ts';
import { WrittenVersions } from './written-versions.ts';

const jobWith = (status: KusciaJobStatus, resourceVersion = '1'): KusciaJob => ({ metadata: { name: 'j', resourceVersion }, spec: { initiator: 'a', tasks: [] }, status });

describe('job status rules', () => {
  it('ApprovalReject, Cancelled and Succeeded are final once completed; Failed and Suspended never', () => {
    expect(shouldReconcile(jobWith({ phase: 'Succeeded' }))).toBe(true);
    expect(shouldReconcile(jobWith({ phase: 'Succeeded', completionTime: 't' }))).toBe(false);
    expect(shouldReconcile(jobWith({ phase: 'Cancelled', completionTime: 't' }))).toBe(false);
    expect(shouldReconcile(jobWith({ phase: 'ApprovalReject', completionTime: 't' }))).toBe(false);
    expect(shouldReconcile(jobWith({ phase: 'Failed', completionTime: 't' }))).toBe(true);
    expect(shouldReconcile(jobWith({ phase: 'Suspended', completionTime: 't' }))).toBe(true);
  });

  it('only lastReconcileTime changing is no change (no self-triggering writes)', () => {
    const before: KusciaJobStatus = { phase: 'Running', taskStatus: { a: 'Running', b: 'Pending' }, lastReconcileTime: '1' };
    expect(statusChanged(before, { taskStatus: { b: 'Pending', a: 'Running' }, phase: 'Running', lastReconcileTime: '2' })).toBe(false);
    expect(statusChanged(before, { ...before, taskStatus: { a: 'Succeeded', b: 'Pending' } })).toBe(true);
    expect(statusChanged(undefined, {})).toBe(false);
  });

  it('fails only Pending and Running task entries', () => {
    const status: KusciaJobStatus = { taskStatus: { a: 'Succeeded', b: 'Running', c: 'Pending', d: 'Failed' } };
    expect(failActiveTaskStatuses(status)).toBe(true);
    expect(status.taskStatus).toEqual({ a: 'Succeeded', b: 'Failed', c: 'Failed', d: 'Failed' });
    expect(failActiveTaskStatuses(status)).toBe(false);
  });

  it('touches times: startTime once, completionTime for ApprovalReject', () => {
    const status: KusciaJobStatus = { phase: 'ApprovalReject', startTime: 's' };
    touchJobTimes(status, 'now');
    expect(status).toEqual({ phase: 'ApprovalReject', startTime: 's', lastReconcileTime: 'now', completionTime: 'now' });
  });

  it('conditions move lastTransitionTime only when their status changes', () => {
    const status: KusciaJobStatus = {};
    setJobCondition(status, 'JobValidated', 'False', 't1', 'ValidateFailed', 'bad');
    setJobCondition(status, 'JobValidated', 'False', 't2', 'ValidateFailed', 'still bad');
    expect(status.conditions).toEqual([{ type: 'JobValidated', status: 'False', reason: 'ValidateFailed', message: 'still bad', lastTransitionTime: 't1' }]);
    setJobCondition(status, 'JobValidated', 'True', 't3');
    expect(status.conditions).toEqual([{ type: 'JobValidated', status: 'True', lastTransitionTime: 't3' }]);
  });
});

describe('WrittenVersions', () => {
  it('skips the version a write replaced, until the cache moves on', () => {
    const written = new WrittenVersions();
    written.record('ns/j', jobWith({}, '5'), jobWith({}, '6'));
    expect(written.isStale('ns/j', jobWith({}, '5'))).toBe(true);
    expect(written.isStale('ns/j', jobWith({}, '6'))).toBe(false);
    expect(written.isStale('ns/j', jobWith({}, '5'))).toBe(false);
  });

  it('does not wait for a no-op write (same version, no event)', () => {
    const written = new WrittenVersions();
    written.record('ns/j', jobWith({}, '5'), jobWith({}, '5'));
    expect(written.isStale('ns/j', jobWith({}, '5'))).toBe(false);
  });
});
