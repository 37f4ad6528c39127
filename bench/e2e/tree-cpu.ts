/**
 * CPU time of a process tree by member label, for "where did the CPU go" over a phase: each live
 * member's own user + system time, plus (as `reaped children`) the time of children that already
 * exited and were waited for, which the kernel adds to their parent — for a lite, the RunP task
 * processes of the pods that finished.
 */
import { readFileSync } from 'node:fs';
import { labelOf, treePids } from './process-tree.ts';

/** USER_HZ: 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_SECOND = 100;
export const REAPED_CHILDREN = 'reaped children';

/** CPU ms so far per label (members with one label summed). */
export function readTreeCpu(root: number): Map<string, number> {
  const byLabel = new Map<string, number>();
  const add = (label: string, ticks: number) => byLabel.set(label, (byLabel.get(label) ?? 0) + (ticks * 1000) / CLOCK_TICKS_PER_SECOND);
  for (const pid of treePids(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the ")" of comm: state is field 3, utime/stime/cutime/cstime are fields 14-17.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
      add(labelOf(pid), f[11]! + f[12]!);
      add(REAPED_CHILDREN, f[13]! + f[14]!);
    } catch {
      // Exited meanwhile.
    }
  }
  return byLabel;
}

/** What each label used between two readings (labels new in `after` count from 0). */
export function cpuSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([label, msNow]) => [label, msNow - (before.get(label) ?? 0)]));
}
