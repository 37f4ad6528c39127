/**
 * The median time from a job's create request being sent to each stage of its one task, as the
 * watches saw them: where apply → Succeeded goes (API server, controllers, scheduler, agent/RunP).
 */
import { ms, median } from '../apiserver/stats.ts';
import { POD_STAGES, type PodStage, type TaskTimes } from './task-timeline.ts';

export interface JobRun {
  sentAt: number;
  returnedAt: number;
  succeededAt?: number;
  task: TaskTimes;
}

const POD_STAGE_TEXT: Record<PodStage, string> = {
  created: 'pods created',
  bound: 'pods bound',
  started: 'pods Running',
  succeeded: 'pods Succeeded',
};

/** "create returned 5 ms → pods created 60 ms → ..." over the runs that reached each stage. */
export function formatBreakdown(runs: readonly JobRun[]): string {
  const stage = (text: string, at: (r: JobRun) => number | undefined) => {
    const deltas = runs.flatMap((r) => {
      const t = at(r);
      return t === undefined ? [] : [t - r.sentAt];
    });
    return deltas.length ? `${text} ${ms(median(deltas))}` : `${text} (never seen)`;
  };
  return [
    stage('create returned', (r) => r.returnedAt),
    ...POD_STAGES.map((s) => stage(POD_STAGE_TEXT[s], (r) => r.task.pods[s])),
    stage('task Succeeded', (r) => r.task.taskSucceeded),
    stage('job Succeeded', (r) => r.succeededAt),
  ].join(' → ');
}
