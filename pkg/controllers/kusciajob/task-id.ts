/**
 * taskIDs for tasks that have none. Only the initiator's cluster fills them (members copy the
 * host's), as `<job name>-<last group of a UUID>`, and writes them into the job spec before any
 * KusciaTask is created, so a restarted controller reuses the same names instead of creating
 * duplicates.
 */
import { randomUUID as nodeRandomUUID } from 'node:crypto';
import type { KusciaTaskTemplate } from '../../crd/job.ts';

/** Returns a UUID string ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"); injectable for tests. */
export type RandomUUID = () => string;

export function generateTaskID(jobName: string, randomUUID: RandomUUID = nodeRandomUUID): string {
  const groups = randomUUID().split('-');
  return `${jobName}-${groups[groups.length - 1]}`;
}

/**
 * The tasks with every empty taskID filled (a new array; the input is not changed), and whether
 * anything was filled. A generated ID that collides with one already in the job is drawn again.
 */
export function fillMissingTaskIDs(
  jobName: string,
  tasks: readonly KusciaTaskTemplate[],
  randomUUID: RandomUUID = nodeRandomUUID,
): { tasks: KusciaTaskTemplate[]; changed: boolean } {
  const taken = new Set(tasks.map((t) => t.taskID).filter((id): id is string => !!id));
  let changed = false;
  const filled = tasks.map((task) => {
    if (task.taskID) return task;
    let taskID = generateTaskID(jobName, randomUUID);
    for (let attempt = 0; taken.has(taskID) && attempt < 16; attempt++) taskID = generateTaskID(jobName, randomUUID);
    taken.add(taskID);
    changed = true;
    return { ...task, taskID };
  });
  return { tasks: filled, changed };
}
