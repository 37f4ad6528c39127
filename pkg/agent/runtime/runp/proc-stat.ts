import { readFileSync } from 'node:fs';

/** The fields of `/proc/<pid>/stat` (proc(5)) RunP relies on. */
export interface ProcStat {
  /** Field 3: R, S, D, ..., Z (zombie), X (dead). */
  state: string;
  /** Field 5: the process group id. */
  pgrp: number;
  /**
   * Field 22: when the process started, in clock ticks since boot. With the boot id it tells the
   * process apart from a later holder of the same pid. Kept as text: it is only ever compared.
   */
  startTime: string;
}

/** Undefined when the process does not exist (or the host has no /proc). */
export function readProcStat(pid: number): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
  // fields[0] is field 3 of proc(5).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields.length < 20) return undefined;
  return { state: fields[0], pgrp: Number(fields[2]), startTime: fields[19] };
}

/** The kernel's id of the current boot: start times count from boot, so they only compare within one. */
export function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
