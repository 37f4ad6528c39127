import { describe, expect, it } from 'vitest';
import { readyTasksOf, willStartTasksOf } from './ready-tasks.ts';
import { aliases, makeJobSpec, phases } from './testing/jobs.ts';

const S = 'Succeeded';
const F = 'Failed';

// Kuscia: Test_readyTasksOf. Priorities a=100, b=100, c=50, d=100.
describe('readyTasksOf', () => {
  const independent = makeJobSpec('Independent', 'BestEffort');
  const tree = makeJobSpec('Tree', 'BestEffort');

  it.each([
    ['independent, nothing created → all, by priority then spec order', independent, {}, ['a', 'b', 'd', 'c']],
    ['independent, succeeded{a,b} → {d,c}', independent, { a: S, b: S }, ['d', 'c']],
    ['independent, succeeded{a,c} failed{b} → {d}', independent, { a: S, b: F, c: S }, ['d']],
    ['tree, nothing created → {a}', tree, {}, ['a']],
    ['tree, succeeded{a} → {b,c}', tree, { a: S }, ['b', 'c']],
    ['tree, failed{a} → {} (a failed dependency blocks for good)', tree, { a: F }, []],
    ['tree, succeeded{a} failed{b} → {c}', tree, { a: S, b: F }, ['c']],
    ['tree, succeeded{a} failed{c} → {b}', tree, { a: S, c: F }, ['b']],
    ['strict tree, succeeded{a} failed{b} → {c} (mode does not matter)', makeJobSpec('Tree', 'Strict'), { a: S, b: F }, ['c']],
    ['tree, succeeded{a} running{c} → {b} (d waits for c)', tree, { a: S, c: 'Running' }, ['b']],
  ] as const)('%s', (_name, spec, created, expected) => {
    expect(aliases(readyTasksOf(spec.tasks, phases(created)))).toEqual(expected);
  });

  it('skips tasks without a taskID yet', () => {
    const spec = makeJobSpec('Independent', 'BestEffort');
    spec.tasks[0] = { ...spec.tasks[0]!, taskID: '' };
    spec.tasks[1] = { ...spec.tasks[1]!, taskID: undefined };
    expect(aliases(readyTasksOf(spec.tasks, phases()))).toEqual(['d', 'c']);
  });

  it('treats an unset priority as 0 and keeps the spec order among equals', () => {
    const spec = makeJobSpec('Independent', 'BestEffort');
    const tasks = spec.tasks.map((t, i) => ({ ...t, priority: i === 2 ? 1 : undefined }));
    expect(aliases(readyTasksOf(tasks, phases()))).toEqual(['c', 'a', 'b', 'd']);
    const negative = spec.tasks.map((t, i) => ({ ...t, priority: i === 0 ? -1 : 0 }));
    expect(aliases(readyTasksOf(negative, phases()))).toEqual(['b', 'c', 'd', 'a']);
  });

  it('returns the spec templates unchanged', () => {
    const spec = makeJobSpec('Tree', 'BestEffort');
    expect(readyTasksOf(spec.tasks, phases())[0]).toBe(spec.tasks[0]);
  });
});

// Kuscia: Test_willStartTasksOf (tree, BestEffort).
describe('willStartTasksOf', () => {
  it.each([
    ['parallelism 2, nothing created → {a}', 2, {}, ['a']],
    ['parallelism 2, succeeded{a} → {b,c}', 2, { a: S }, ['b', 'c']],
    ['parallelism 2, succeeded{a} failed{b} → {c}', 2, { a: S, b: F }, ['c']],
    ['parallelism 1, succeeded{a} → {b}', 1, { a: S }, ['b']],
    ['parallelism 2, succeeded{a,b,c} → {d}', 2, { a: S, b: S, c: S }, ['d']],
    ['parallelism 2, succeeded{a} running{b} → {c}', 2, { a: S, b: 'Running' }, ['c']],
    ['parallelism 1, succeeded{a} running{b} → {}', 1, { a: S, b: 'Running' }, []],
    ['parallelism 2, succeeded{a} pending{b} unreconciled{c} → {}', 2, { a: S, b: 'Pending', c: '' }, []],
  ] as const)('%s', (_name, maxParallelism, created, expected) => {
    const spec = makeJobSpec('Tree', 'BestEffort', maxParallelism);
    const status = phases(created);
    expect(aliases(willStartTasksOf(spec, readyTasksOf(spec.tasks, status), status))).toEqual(expected);
  });

  it('defaults maxParallelism to 1', () => {
    const spec = makeJobSpec('Independent', 'BestEffort');
    expect(aliases(willStartTasksOf({}, readyTasksOf(spec.tasks, phases()), phases()))).toEqual(['a']);
  });

  it('starts nothing when more tasks run than allowed (maxParallelism lowered mid-job)', () => {
    const spec = makeJobSpec('Independent', 'BestEffort', 1);
    const status = phases({ a: 'Running', b: 'Running' });
    expect(willStartTasksOf(spec, readyTasksOf(spec.tasks, status), status)).toEqual([]);
  });
});
