import { describe, expect, it } from 'vitest';
import type { KusciaJobScheduleMode } from '../../crd/job.ts';
import { jobStatusPhaseFrom } from './job-phase.ts';
import type { CreatedTaskPhase } from './task-phases.ts';
import { makeJobSpec, phases } from './testing/jobs.ts';

type Case = [name: string, created: Record<string, CreatedTaskPhase>, expected: 'Running' | 'Succeeded' | 'Failed'];
const S = 'Succeeded';
const F = 'Failed';
const TOLERABLE_B = [false, true, false, false] as const;

function table(mode: KusciaJobScheduleMode, tolerable: typeof TOLERABLE_B | undefined, cases: Case[]) {
  it.each(cases)('%s', (_name, created, expected) => {
    expect(jobStatusPhaseFrom(makeJobSpec('Tree', mode, 2, tolerable), phases(created))).toBe(expected);
  });
}

// Kuscia: Test_jobStatusPhaseFrom_BestEffort. Tree = a, a→b, a→c, c→d.
describe('BestEffort', () => {
  table('BestEffort', undefined, [
    ['nothing created → Running', {}, 'Running'],
    ['succeeded{a,b,c} → Running (d ready)', { a: S, b: S, c: S }, 'Running'],
    ['failed{a} → Failed (nothing else can run)', { a: F }, 'Failed'],
    ['succeeded{a,b,c,d} → Succeeded', { a: S, b: S, c: S, d: S }, 'Succeeded'],
    ['succeeded{a,c} failed{b} → Running (d still ready)', { a: S, b: F, c: S }, 'Running'],
    ['succeeded{a} failed{b,c} → Failed (d blocked by c)', { a: S, b: F, c: F }, 'Failed'],
    ['succeeded{a,c,d} failed{b} → Failed', { a: S, b: F, c: S, d: S }, 'Failed'],
  ]);
});

// Kuscia: Test_jobStatusPhaseFrom_BestEffort_TolerableB.
describe('BestEffort with tolerable b', () => {
  table('BestEffort', TOLERABLE_B, [
    ['nothing created → Running', {}, 'Running'],
    ['succeeded{a,c} → Running', { a: S, c: S }, 'Running'],
    ["succeeded{a,b',c} → Running", { a: S, b: S, c: S }, 'Running'],
    ['succeeded{a,c,d} → Running (b not created)', { a: S, c: S, d: S }, 'Running'],
    ["succeeded{a,c} failed{b'} → Running", { a: S, b: F, c: S }, 'Running'],
    ["succeeded{a,b'} failed{c} → Failed", { a: S, b: S, c: F }, 'Failed'],
    ["succeeded{a,b',c,d} → Succeeded", { a: S, b: S, c: S, d: S }, 'Succeeded'],
    ["succeeded{a,c,d} failed{b'} → Succeeded", { a: S, b: F, c: S, d: S }, 'Succeeded'],
  ]);
});

// Kuscia: Test_jobStatusPhaseFrom_Strict.
describe('Strict', () => {
  table('Strict', undefined, [
    ['nothing created → Running', {}, 'Running'],
    ['succeeded{a,c} → Running', { a: S, c: S }, 'Running'],
    ['failed{a} → Failed', { a: F }, 'Failed'],
    ['succeeded{a,b,c} → Running', { a: S, b: S, c: S }, 'Running'],
    ['succeeded{a,c,d} → Running', { a: S, c: S, d: S }, 'Running'],
    ['succeeded{a,c} failed{b} → Failed (d still ready, not started)', { a: S, b: F, c: S }, 'Failed'],
    ['succeeded{a,b} failed{c} → Failed', { a: S, b: S, c: F }, 'Failed'],
    ['succeeded{a,b,c,d} → Succeeded', { a: S, b: S, c: S, d: S }, 'Succeeded'],
    ['succeeded{a,c,d} failed{b} → Failed', { a: S, b: F, c: S, d: S }, 'Failed'],
  ]);
});

// Kuscia: Test_jobStatusPhaseFrom_Strict_TolerableB.
describe('Strict with tolerable b', () => {
  table('Strict', TOLERABLE_B, [
    ['nothing created → Running', {}, 'Running'],
    ['succeeded{a,c} → Running', { a: S, c: S }, 'Running'],
    ["succeeded{a,c} failed{b'} → Running", { a: S, b: F, c: S }, 'Running'],
    ["succeeded{a,b'} failed{c} → Failed", { a: S, b: S, c: F }, 'Failed'],
    ["succeeded{a,b',c,d} → Succeeded", { a: S, b: S, c: S, d: S }, 'Succeeded'],
    ["succeeded{a,c,d} failed{b'} → Succeeded", { a: S, b: F, c: S, d: S }, 'Succeeded'],
  ]);
});

describe('edge cases', () => {
  it('BestEffort keeps running while a task is Pending, Running or not yet reconciled', () => {
    const spec = makeJobSpec('Independent', 'BestEffort');
    expect(jobStatusPhaseFrom(spec, phases({ a: F, b: S, c: S, d: 'Running' }))).toBe('Running');
    expect(jobStatusPhaseFrom(spec, phases({ a: F, b: S, c: S, d: 'Pending' }))).toBe('Running');
    expect(jobStatusPhaseFrom(spec, phases({ a: F, b: S, c: S, d: '' }))).toBe('Running');
    expect(jobStatusPhaseFrom(spec, phases({ a: F, b: S, c: S, d: F }))).toBe('Failed');
  });

  it('BestEffort: a task not yet created but ready (even without a taskID yet) keeps the job Running', () => {
    const spec = makeJobSpec('Independent', 'BestEffort');
    spec.tasks[3] = { ...spec.tasks[3]!, taskID: '' };
    expect(jobStatusPhaseFrom(spec, phases({ a: F, b: S, c: S }))).toBe('Running');
  });

  it('Strict fails at the first critical failure even while others run', () => {
    const spec = makeJobSpec('Independent', 'Strict');
    expect(jobStatusPhaseFrom(spec, phases({ a: F, b: 'Running' }))).toBe('Failed');
  });

  it('an unset scheduleMode is the CRD default, Strict', () => {
    const spec = { ...makeJobSpec('Tree', 'Strict'), scheduleMode: undefined };
    expect(jobStatusPhaseFrom(spec, phases({ a: S, b: F, c: S }))).toBe('Failed');
  });

  it('an unknown scheduleMode fails the job once tasks exist', () => {
    const spec = { ...makeJobSpec('Tree', 'Strict'), scheduleMode: 'Sometimes' as KusciaJobScheduleMode };
    expect(jobStatusPhaseFrom(spec, phases())).toBe('Running');
    expect(jobStatusPhaseFrom(spec, phases({ a: 'Running' }))).toBe('Failed');
  });

  it('interconn BestEffort fails on any failed task, tolerable ones included', () => {
    const spec = makeJobSpec('Tree', 'BestEffort', 2, TOLERABLE_B);
    const created = phases({ a: S, b: F, c: 'Running' });
    expect(jobStatusPhaseFrom(spec, created)).toBe('Running');
    expect(jobStatusPhaseFrom(spec, created, { interConn: true })).toBe('Failed');
    expect(jobStatusPhaseFrom(spec, phases({ a: S, b: S, c: S, d: S }), { interConn: true })).toBe('Succeeded');
  });

  it('a task depending on a failed tolerable task never starts, so the job stays Running (Kuscia gotcha)', () => {
    // Tree with c tolerable: d depends on c.
    const spec = makeJobSpec('Tree', 'BestEffort', 2, [false, false, true, false]);
    expect(jobStatusPhaseFrom(spec, phases({ a: S, b: S, c: F }))).toBe('Running');
  });

  it('matches tasks by alias when aliases and taskIDs differ', () => {
    const spec = makeJobSpec('Tree', 'BestEffort');
    spec.tasks = spec.tasks.map((t) => ({ ...t, taskID: `job-${t.alias}-0f3a` }));
    // d depends on c, which succeeded: d is ready, so b's failure does not end the job yet.
    expect(jobStatusPhaseFrom(spec, phases({ a: S, b: F, c: S }))).toBe('Running');
  });
});
