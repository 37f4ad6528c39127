import { readdirSync } from 'node:fs';
import { readProcStat } from './proc-stat.ts';

/**
 * Signals to a container's whole process group (RunP starts every container as the leader of its
 * own group), so children it forked die with it.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while a live (non-zombie) process of the group exists. Signal 0 answers fast when the group
 * is gone; otherwise /proc decides, because zombies count as members too and an init that does not
 * reap orphans (as in some containers) would keep them forever.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    // EPERM: a member exists but is not ours to signal; ask /proc.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return liveMembers(pgid) > 0;
}

function liveMembers(pgid: number): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return 1; // no /proc: trust the signal probe
  }
  let count = 0;
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = readProcStat(Number(pid));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') count++;
  }
  return count;
}

/** Resolves when the group is empty, polling (there is no event for the end of a group). */
export async function waitGroupGone(pgid: number, timeoutMs: number, pollMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return true;
}

/**
 * SIGTERM to the group, SIGKILL to whatever is left after the grace period, then wait until
 * nothing is left. Zombies count as alive until reaped; the leader is reaped by Node, orphans by
 * init, so the final wait is short.
 */
export async function killGroup(pgid: number, gracePeriodMs: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  if (await waitGroupGone(pgid, gracePeriodMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitGroupGone(pgid, 5_000);
}
