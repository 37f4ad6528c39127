/**
 * Memory and CPU of another process from /proc, plus a sampler that keeps the peak VmRSS seen
 * every `intervalMs` (VmHWM is the kernel's own peak, which also catches spikes between samples).
 */
import { readFileSync } from 'node:fs';

export interface ProcMemory {
  /** Resident set size now, MiB. */
  rssMiB: number;
  /** VmHWM: the highest RSS the kernel saw for the process, MiB. */
  hwmMiB: number;
}

/** USER_HZ: 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_SECOND = 100;

export function readProcMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

/** CPU time (user + system) the process has used so far, ms. */
export function readProcCpuMs(pid: number): number {
  // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks, after the ")" of comm.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

export interface RssSample {
  peakRssMiB: number;
  lastRssMiB: number;
  hwmMiB: number;
}

export interface RssSampler {
  /** Takes a last sample and stops; per process name: peak VmRSS sampled, final VmRSS, VmHWM. */
  stop(): Map<string, RssSample>;
}

export function sampleRss(processes: ReadonlyArray<{ name: string; pid: number }>, intervalMs: number): RssSampler {
  const samples = new Map<string, RssSample>(processes.map((p) => [p.name, { peakRssMiB: 0, lastRssMiB: 0, hwmMiB: 0 }]));
  const take = () => {
    for (const p of processes) {
      const s = samples.get(p.name)!;
      try {
        const m = readProcMemory(p.pid);
        s.lastRssMiB = m.rssMiB;
        s.peakRssMiB = Math.max(s.peakRssMiB, m.rssMiB);
        s.hwmMiB = m.hwmMiB;
      } catch {
        // The process is gone (it crashed): keep what was seen; the run reports the crash.
      }
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
