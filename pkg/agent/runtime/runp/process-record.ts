import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readBootId, readProcStat } from './proc-stat.ts';

/**
 * What RunP writes down about a running container's process, so that the next start of the
 * runtime can find it when the agent died without stopping it (docs/agent.md, "Leftovers").
 */
export interface ProcessRecord {
  /** `runp://<hex>`: one record per run of a container. */
  containerID: string;
  container: string;
  /** The container's main process, which leads its own process group (pid = pgid). */
  pgid: number;
  /** The process's start time and the boot it started in: together they name this process, not a later holder of its pid. */
  startTime: string;
  bootId: string;
  /** The container's memory cgroup, removed once its processes are gone. */
  cgroupDir?: string;
}

/** The identity of a live process as a record holds it; undefined without /proc or when the pid is gone. */
export function processIdentity(pid: number): Pick<ProcessRecord, 'startTime' | 'bootId'> | undefined {
  const startTime = readProcStat(pid)?.startTime;
  const bootId = readBootId();
  return startTime && bootId ? { startTime, bootId } : undefined;
}

/**
 * True when the record's process still exists: same pid, same boot, same start time. A zombie
 * leader counts (its group may still have live members).
 */
export function recordedProcessExists(record: ProcessRecord): boolean {
  const now = processIdentity(record.pgid);
  return now !== undefined && now.bootId === record.bootId && now.startTime === record.startTime;
}

/** The records live in the sandbox, so removing the sandbox forgets them. */
function recordsDir(sandboxDir: string): string {
  return join(sandboxDir, '.runp', 'processes');
}

function recordFile(sandboxDir: string, containerID: string): string {
  return join(recordsDir(sandboxDir), `${containerID.replace(/^runp:\/\//, '')}.json`);
}

/**
 * Synchronous, right after the spawn, so the window in which an agent crash leaves an unrecorded
 * process is as short as it can be. Written to a temporary file and renamed: a reader never sees
 * half a record. Not fsynced: the record must outlive the agent, not the host, and the processes
 * do not outlive the host either.
 */
export function writeProcessRecord(sandboxDir: string, record: ProcessRecord): void {
  const file = recordFile(sandboxDir, record.containerID);
  mkdirSync(recordsDir(sandboxDir), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(record));
  renameSync(`${file}.tmp`, file);
}

export async function removeProcessRecord(sandboxDir: string, containerID: string): Promise<void> {
  await rm(recordFile(sandboxDir, containerID), { force: true });
}

/** Every well-formed record of a sandbox; `invalid` counts the files that are not (they are ignored). */
export async function readProcessRecords(sandboxDir: string): Promise<{ records: ProcessRecord[]; invalid: number }> {
  let names: string[];
  try {
    names = await readdir(recordsDir(sandboxDir));
  } catch {
    return { records: [], invalid: 0 };
  }
  const records: ProcessRecord[] = [];
  let invalid = 0;
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const record = parseRecord(await readFile(join(recordsDir(sandboxDir), name), 'utf8').catch(() => ''));
    if (record) records.push(record);
    else invalid++;
  }
  return { records, invalid };
}

function parseRecord(text: string): ProcessRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  // A pgid of 0 or 1 would make kill(-pgid) signal the agent's own group or every process on the host.
  if (!Number.isSafeInteger(r.pgid) || (r.pgid as number) < 2) return undefined;
  if (typeof r.containerID !== 'string' || typeof r.container !== 'string') return undefined;
  if (typeof r.startTime !== 'string' || typeof r.bootId !== 'string') return undefined;
  if (r.cgroupDir !== undefined && typeof r.cgroupDir !== 'string') return undefined;
  return {
    containerID: r.containerID,
    container: r.container,
    pgid: r.pgid as number,
    startTime: r.startTime,
    bootId: r.bootId,
    ...(r.cgroupDir !== undefined ? { cgroupDir: r.cgroupDir } : {}),
  };
}
