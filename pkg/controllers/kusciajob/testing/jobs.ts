/**
 * Fixtures shared by this folder's tests: the four-task jobs of Kuscia's own scheduler tests.
 * Independent: a, b, c, d. Tree: a, a→b, a→c, c→d. Cycled: d→a, a→b, b→c, c→d.
 * Priorities 100, 100, 50, 100; every alias equals its taskID unless a test changes it.
 */
import type { KusciaJobScheduleMode, KusciaJobSpec, KusciaTaskTemplate } from '../../../crd/job.ts';
import type { CreatedTaskPhase } from '../task-phases.ts';

export type JobShape = 'Independent' | 'Tree' | 'Cycled';

const DEPENDENCIES: Record<JobShape, string[][]> = {
  Independent: [[], [], [], []],
  Tree: [[], ['a'], ['a'], ['c']],
  Cycled: [['d'], ['a'], ['b'], ['c']],
};

export function makeJobSpec(
  shape: JobShape,
  scheduleMode: KusciaJobScheduleMode,
  maxParallelism = 2,
  tolerable?: readonly [boolean, boolean, boolean, boolean],
): KusciaJobSpec {
  const priorities = [100, 100, 50, 100];
  const tasks: KusciaTaskTemplate[] = ['a', 'b', 'c', 'd'].map((alias, i) => ({
    alias,
    taskID: alias,
    priority: priorities[i],
    taskInputConfig: `meta://secretflow-1/task-input-config${i + 1}`,
    appImage: `test-image-${i + 1}`,
    parties: [
      { role: 'client', domainID: 'alice' },
      { role: 'client', domainID: 'bob' },
    ],
    dependencies: DEPENDENCIES[shape][i]!,
    ...(tolerable ? { tolerable: tolerable[i]! } : {}),
  }));
  return { initiator: 'alice', scheduleMode, maxParallelism, tasks };
}

export function phases(entries: Record<string, CreatedTaskPhase> = {}): Map<string, CreatedTaskPhase> {
  return new Map(Object.entries(entries));
}

export function aliases(tasks: readonly KusciaTaskTemplate[]): string[] {
  return tasks.map((t) => t.alias);
}
