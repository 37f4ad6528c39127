/**
 * CPU used during a phase by each Kuscia node's processes (by member label; see tree-cpu.ts) and by
 * this benchmark process, with the share of the machine it amounts to: where the time of a loaded
 * run goes on a small machine.
 */
import { cpus } from 'node:os';
import { cpuSince, readTreeCpu, REAPED_CHILDREN } from './tree-cpu.ts';

const seconds = (msec: number) => `${(msec / 1000).toFixed(1)} s`;

export interface PhaseCpu {
  /** One line: CPU seconds per node and process, total and % of the machine over `wallMs`. */
  finish(wallMs: number): string;
}

export function measurePhaseCpu(nodes: ReadonlyArray<{ name: string; pid: number }>): PhaseCpu {
  const before = new Map(nodes.map((n) => [n.name, readTreeCpu(n.pid)]));
  const bench0 = process.cpuUsage();
  return {
    finish(wallMs) {
      let total = 0;
      const parts = nodes.map((n) => {
        const used = cpuSince(before.get(n.name)!, readTreeCpu(n.pid));
        for (const msec of used.values()) total += msec;
        const labels = [...used]
          .filter(([, msec]) => msec >= 50)
          .map(([label, msec]) => `${label === REAPED_CHILDREN ? 'exited children (task processes)' : label} ${seconds(msec)}`);
        return `${n.name}: ${labels.join(', ') || 'idle'}`;
      });
      const bench = process.cpuUsage(bench0);
      const benchMs = (bench.user + bench.system) / 1000;
      total += benchMs;
      const share = Math.round((total / (wallMs * cpus().length)) * 100);
      return `${parts.join('; ')}; bench process ${seconds(benchMs)}; total ${seconds(total)} = ${share}% of ${cpus().length} cores over ${seconds(wallMs)}`;
    },
  };
}
