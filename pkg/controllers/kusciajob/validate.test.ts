import { describe, expect, it } from 'vitest';
import type { KusciaTaskTemplate } from '../../crd/job.ts';
import { findDependencyCycle } from './dag.ts';
import { MAX_JOB_TASKS, validateKusciaJob } from './validate.ts';
import { makeJobSpec } from './testing/jobs.ts';

function failure(message: string) {
  return { valid: false, reason: 'ValidateFailed', message };
}

function task(alias: string, dependencies: string[] = []): KusciaTaskTemplate {
  return { alias, taskID: alias, dependencies, appImage: 'img', taskInputConfig: '', parties: [{ domainID: 'alice' }] };
}

// Kuscia: Test_kusciaJobValidate.
describe('validateKusciaJob', () => {
  it('accepts independent tasks {a,b,c,d}', () => {
    expect(validateKusciaJob(makeJobSpec('Independent', 'BestEffort'))).toEqual({ valid: true });
  });

  it('accepts the tree {a,[a->b],[a->c],[c->d]}', () => {
    expect(validateKusciaJob(makeJobSpec('Tree', 'BestEffort'))).toEqual({ valid: true });
  });

  it('refuses the cycle {d->a,a->b,b->c,c->d} and names it', () => {
    expect(validateKusciaJob(makeJobSpec('Cycled', 'BestEffort'))).toEqual(
      failure('Validate job failed, validate failed: cycled dependencies: a -> b -> c -> d -> a'),
    );
  });

  it('refuses a job without tasks', () => {
    expect(validateKusciaJob({ initiator: 'alice', tasks: [] })).toEqual(
      failure('Validate job failed, kuscia job should include at least one of task'),
    );
  });

  it(`refuses more than ${MAX_JOB_TASKS} tasks`, () => {
    const tasks = Array.from({ length: MAX_JOB_TASKS + 1 }, (_, i) => task(`t${i}`));
    expect(validateKusciaJob({ initiator: 'alice', tasks })).toEqual(
      failure('Validate job failed, kuscia job should include at most 128 tasks, but has 129'),
    );
    expect(validateKusciaJob({ initiator: 'alice', tasks: tasks.slice(0, MAX_JOB_TASKS) })).toEqual({ valid: true });
  });

  it('refuses duplicate aliases', () => {
    expect(validateKusciaJob({ initiator: 'alice', tasks: [task('a'), task('b'), task('a')] })).toEqual(
      failure('Validate job failed, validate failed: task alias a is duplicated'),
    );
  });

  it('refuses a dependency on an alias that does not exist (a taskID is not an alias)', () => {
    const tasks = [{ ...task('a'), taskID: 'job-a' }, task('b', ['job-a'])];
    expect(validateKusciaJob({ initiator: 'alice', tasks })).toEqual(
      failure('Validate job failed, validate failed: task b has not exist dependency task job-a'),
    );
  });

  it('refuses a task depending on itself', () => {
    expect(validateKusciaJob({ initiator: 'alice', tasks: [task('a'), task('b', ['a', 'b'])] })).toEqual(
      failure('Validate job failed, validate failed: cycled dependencies: b -> b'),
    );
  });

  it('checks the initiator namespace first when told which namespaces exist', () => {
    const spec = makeJobSpec('Tree', 'Strict');
    expect(validateKusciaJob(spec, { namespaceExists: (ns) => ns === 'bob' })).toEqual(
      failure(`Validate job failed, can't find initiator namespace alice under cluster, namespace "alice" not found`),
    );
    expect(validateKusciaJob(spec, { namespaceExists: (ns) => ns === 'alice' })).toEqual({ valid: true });
  });
});

describe('findDependencyCycle', () => {
  it('returns undefined for a DAG, including diamonds', () => {
    expect(findDependencyCycle([task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])])).toBeUndefined();
  });

  it('reports a shortest cycle through the earliest task on any cycle', () => {
    // x is independent; p <-> q is a 2-cycle; q -> r -> s -> p a longer one through the same nodes.
    const tasks = [task('x'), task('s', ['r']), task('p', ['q', 's']), task('q', ['p']), task('r', ['q'])];
    expect(findDependencyCycle(tasks)).toEqual(['s', 'p', 'q', 'r', 's']);
    const twoCycles = [task('a'), task('b', ['c']), task('c', ['b']), task('d', ['e']), task('e', ['d'])];
    expect(findDependencyCycle(twoCycles)).toEqual(['b', 'c', 'b']);
  });
});
