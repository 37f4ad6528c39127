import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { readProcessRecords, recordedProcessExists, type ProcessRecord } from './process-record.ts';
import { signalGroup, waitGroupGone } from './process-group.ts';

export interface SweepCounts {
  /** Sandboxes found (and removed). */
  sandboxes: number;
  /** Recorded process groups still running, killed. */
  killed: number;
  /** Recorded processes already gone, or whose pid now belongs to another process (left alone). */
  gone: number;
  /** Killed groups still alive after the wait (a process stuck in the kernel); logged, not retried. */
  survived: number;
  /** Record files that could not be read. */
  invalid: number;
}

/** How long a SIGKILLed group may take to disappear before the sweep gives up on it. */
const KILL_WAIT_MS = 5_000;

/**
 * Runs before the runtime takes any pod: whatever is under `<rootDir>/sandboxes` was left by a
 * previous run of the agent that died without stop() (a clean stop kills and removes its pods).
 * Those processes cannot be adopted (their stdout/stderr pipes died with the agent), so every
 * recorded process group that still runs is SIGKILLed (its owner is gone; there is nobody to
 * deliver a graceful stop to) and waited for; a record whose pid now names another process (a
 * different boot or start time) is never acted on. Then the sandboxes are removed: the agent
 * creates the pods the API still runs again, and they start from a clean sandbox, as a restarted
 * container starts from a fresh file system. Logs are kept.
 */
export async function sweepLeftovers(rootDir: string, log: Logger): Promise<SweepCounts> {
  const sandboxesDir = join(rootDir, 'sandboxes');
  const counts: SweepCounts = { sandboxes: 0, killed: 0, gone: 0, survived: 0, invalid: 0 };
  let names: string[];
  try {
    names = (await readdir(sandboxesDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    names = [];
  }
  const records: ProcessRecord[] = [];
  for (const name of names) {
    const found = await readProcessRecords(join(sandboxesDir, name));
    records.push(...found.records);
    counts.invalid += found.invalid;
  }
  counts.sandboxes = names.length;

  const killed = records.filter((r) => recordedProcessExists(r) && signalGroup(r.pgid, 'SIGKILL'));
  counts.killed = killed.length;
  counts.gone = records.length - killed.length;
  const gone = await Promise.all(killed.map((r) => waitGroupGone(r.pgid, KILL_WAIT_MS)));
  counts.survived = gone.filter((g) => !g).length;

  // A memory cgroup can only go once empty; one that still holds a survivor stays.
  await Promise.all(records.map((r) => (r.cgroupDir ? rmdir(r.cgroupDir).catch(() => undefined) : undefined)));
  await Promise.all(names.map((name) => rm(join(sandboxesDir, name), { recursive: true, force: true })));

  if (counts.survived > 0) log.warn(counts, 'swept what a previous agent run left; some killed process groups are still alive');
  else log.info(counts, 'swept what a previous agent run left');
  return counts;
}
