import { describe, expect, it } from 'vitest';
import { fillMissingTaskIDs, generateTaskID } from './task-id.ts';
import { makeJobSpec } from './testing/jobs.ts';

function uuids(...values: string[]): () => string {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('generateTaskID', () => {
  it('is the job name and the last group of a UUID', () => {
    expect(generateTaskID('job-psi', uuids('1b4e28ba-2fa1-11d2-883f-0016d3cca427'))).toBe('job-psi-0016d3cca427');
  });

  it('uses a random UUID by default, giving a valid DNS label', () => {
    const id = generateTaskID('job-psi');
    expect(id).toMatch(/^job-psi-[0-9a-f]{12}$/);
    expect(generateTaskID('job-psi')).not.toBe(id);
  });
});

describe('fillMissingTaskIDs', () => {
  it('fills only empty taskIDs and leaves the input untouched', () => {
    const spec = makeJobSpec('Tree', 'Strict');
    spec.tasks[1] = { ...spec.tasks[1]!, taskID: '' };
    spec.tasks[3] = { ...spec.tasks[3]!, taskID: undefined };
    const before = structuredClone(spec.tasks);
    const { tasks, changed } = fillMissingTaskIDs('job', spec.tasks, uuids('0-0-0-0-aaaaaaaaaaaa', '0-0-0-0-bbbbbbbbbbbb'));
    expect(changed).toBe(true);
    expect(tasks.map((t) => t.taskID)).toEqual(['a', 'job-aaaaaaaaaaaa', 'c', 'job-bbbbbbbbbbbb']);
    expect(tasks[0]).toBe(spec.tasks[0]);
    expect(spec.tasks).toEqual(before);
  });

  it('reports no change when every task already has an ID', () => {
    const spec = makeJobSpec('Tree', 'Strict');
    const { tasks, changed } = fillMissingTaskIDs('job', spec.tasks, () => {
      throw new Error('must not draw');
    });
    expect(changed).toBe(false);
    expect(tasks).toEqual(spec.tasks);
  });

  it('draws again when a generated ID is already taken in the job', () => {
    const spec = makeJobSpec('Independent', 'Strict');
    spec.tasks[0] = { ...spec.tasks[0]!, taskID: 'job-aaaaaaaaaaaa' };
    spec.tasks[1] = { ...spec.tasks[1]!, taskID: '' };
    spec.tasks[2] = { ...spec.tasks[2]!, taskID: '' };
    const source = uuids('0-0-0-0-aaaaaaaaaaaa', '0-0-0-0-bbbbbbbbbbbb', '0-0-0-0-bbbbbbbbbbbb', '0-0-0-0-cccccccccccc');
    const { tasks } = fillMissingTaskIDs('job', spec.tasks, source);
    expect(tasks.map((t) => t.taskID)).toEqual(['job-aaaaaaaaaaaa', 'job-bbbbbbbbbbbb', 'job-cccccccccccc', 'd']);
  });
});
